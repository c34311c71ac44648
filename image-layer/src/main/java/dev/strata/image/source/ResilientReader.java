package dev.strata.image.source;

import dev.strata.image.ByteRange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a source the way ddrescue does: a failed large read is retried, then read sector by sector
 * with retries, and sectors that still fail are zero-filled and remembered as unreadable ranges so
 * that imaging carries on. Confined to one thread.
 */
public final class ResilientReader {
    private final ImageSource source;
    private final int retries;
    private final List<ByteRange> unreadable = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    public ResilientReader(ImageSource source, int retries) {
        this.source = source;
        this.retries = retries;
    }

    /** Fills {@code dst[0..length)} from {@code position}; unreadable sectors come back as zeros. */
    public void read(long position, byte[] dst, int length) {
        if (tryRead(position, dst, 0, length, retries)) {
            return;
        }
        int sector = source.sectorSize();
        for (int off = 0; off < length; off += sector) {
            int n = Math.min(sector, length - off);
            if (!tryRead(position + off, dst, off, n, retries)) {
                Arrays.fill(dst, off, off + n, (byte) 0);
                add(new ByteRange(position + off, n));
            }
        }
    }

    private boolean tryRead(long position, byte[] dst, int off, int length, int attempts) {
        for (int i = 0; i <= attempts; i++) {
            try {
                source.readFully(position, dst, off, length);
                return true;
            } catch (IOException e) {
                if (errors.size() < 20) {
                    errors.add("read " + source.describe() + " at byte " + position + ": " + e.getMessage());
                }
            }
        }
        return false;
    }

    private void add(ByteRange r) {
        if (!unreadable.isEmpty() && unreadable.get(unreadable.size() - 1).end() == r.start()) {
            ByteRange last = unreadable.remove(unreadable.size() - 1);
            unreadable.add(new ByteRange(last.start(), last.length() + r.length()));
        } else {
            unreadable.add(r);
        }
    }

    /** Ranges that could not be read, in order, merged. */
    public List<ByteRange> unreadable() {
        return List.copyOf(unreadable);
    }

    /** The first few read errors, for the report. */
    public List<String> errors() {
        return List.copyOf(errors);
    }
}
