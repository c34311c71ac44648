package dev.strata.volume.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The bytes written to one file since its last version, at their offsets: in memory while they lie
 * below {@link #MEMORY_LIMIT}, the volume's memory budget allows and the state's disk has room for
 * the seal's record (checked at a file's first write), else in an overlay file of the staging folder. Saving a small file then creates, writes, reads and deletes no staging file: its
 * seal carries the bytes instead ({@link #inline}), in the record a crash would redo it from. An
 * fsync moves them to the overlay file ({@link #sync}), since only the file outlives the process
 * before a seal. Which bytes count is the caller's business (the written ranges); elsewhere this holds
 * zeros or stale bytes. Confined: the caller holds the file's lock (shared for reading).
 */
final class WrittenBytes implements FileImage.Overlay {
    /** Bytes written below this offset may stay in memory (most files people save are smaller). */
    static final int MEMORY_LIMIT = 256 << 10;
    private static final byte[] NONE = new byte[0];

    private final DataContext ctx;
    /** In memory: the bytes at their offsets (its length is taken from the budget); empty once in a file. */
    private byte[] memory = NONE;
    /** The end of what was written to memory. */
    private int end;
    /** The overlay file and its number, once the bytes are there; else null and 0. */
    private FileChannel channel;
    private long number;

    WrittenBytes(DataContext ctx) {
        this.ctx = ctx;
    }

    /** The written bytes of a staging record: its overlay file. */
    static WrittenBytes ofOverlay(DataContext ctx, long number) throws IOException {
        WrittenBytes w = new WrittenBytes(ctx);
        w.channel = ctx.overlays().openForWriting(number);
        w.number = number;
        return w;
    }

    /** Writes {@code length} bytes of {@code src} at {@code pos}; on failure, what was written before stays as it was. */
    void write(long pos, byte[] src, int offset, int length) throws IOException {
        if (channel == null && pos + length <= MEMORY_LIMIT && room((int) (pos + length))) {
            System.arraycopy(src, offset, memory, (int) pos, length);
            end = Math.max(end, (int) (pos + length));
            return;
        }
        toFile();
        ByteBuffer b = ByteBuffer.wrap(src, offset, length);
        long p = pos;
        while (b.hasRemaining()) {
            p += channel.write(b, p);
        }
    }

    @Override
    public void read(long from, byte[] dst, int at, int n) throws IOException {
        if (channel == null) {
            if (from + n > end) {
                throw new EOFException("written bytes end at " + end + ", inside a written range");
            }
            System.arraycopy(memory, (int) from, dst, at, n);
            return;
        }
        FileImage.Overlay.of(channel).read(from, dst, at, n);
    }

    /** The file is cut to {@code size}: nothing past it is written any more. */
    void truncate(long size) throws IOException {
        if (channel == null) {
            end = (int) Math.min(end, size);
        } else if (channel.size() > size) {
            channel.truncate(size);
        }
    }

    /**
     * Makes the bytes durable in the overlay file, moving them there first if they are in memory;
     * returns its number. The caller makes the staging folder durable too (the file's name).
     */
    long sync() throws IOException {
        toFile();
        channel.force(false);
        return number;
    }

    /** The overlay file's number; 0 while the bytes are in memory. */
    long number() {
        return number;
    }

    /** A copy of the bytes in memory below {@code upTo} (the end of the last written range); null when they are in a file. */
    byte[] inline(long upTo) {
        return channel == null ? Arrays.copyOf(memory, (int) upTo) : null;
    }

    /** Closes the overlay file (it stays: its number may be recorded) and gives the memory back; idempotent. */
    void close() throws IOException {
        ctx.overlays().giveMemory(memory.length);
        memory = NONE;
        end = 0;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Whether memory holds {@code [0, needed)}: grown by doubling (at least a page) while the budget allows. */
    private boolean room(int needed) {
        if (needed <= memory.length) {
            return true;
        }
        if (memory.length == 0 && !ctx.overlays().roomForMemory()) {
            return false;
        }
        int grown = Math.min(MEMORY_LIMIT, Math.max(needed, Math.max(4096, memory.length * 2)));
        if (!ctx.overlays().takeMemory(grown - memory.length)) {
            return false;
        }
        memory = Arrays.copyOf(memory, grown);
        return true;
    }

    /** Moves the bytes from memory to a new overlay file; if that fails, they stay in memory. */
    private void toFile() throws IOException {
        if (channel != null) {
            return;
        }
        long n = ctx.state().nextOverlay();
        FileChannel ch = ctx.overlays().create(n);
        try {
            ByteBuffer b = ByteBuffer.wrap(memory, 0, end);
            long p = 0;
            while (b.hasRemaining()) {
                p += ch.write(b, p);
            }
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
                ctx.overlays().delete(n);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        channel = ch;
        number = n;
        ctx.overlays().giveMemory(memory.length);
        memory = NONE;
        end = 0;
    }
}
