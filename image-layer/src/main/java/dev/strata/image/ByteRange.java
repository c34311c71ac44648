package dev.strata.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A half-open range of bytes {@code [start, start + length)} of a device or partition. Immutable.
 */
public record ByteRange(long start, long length) {
    public ByteRange {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("bad byte range " + start + "+" + length);
        }
    }

    public long end() {
        return start + length;
    }

    public ByteRange shift(long by) {
        return new ByteRange(start + by, length);
    }

    /** Sorts and merges overlapping or touching ranges; drops empty ones. */
    public static List<ByteRange> merge(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::start));
        List<ByteRange> out = new ArrayList<>();
        for (ByteRange r : sorted) {
            if (r.length == 0) {
                continue;
            }
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.start) {
                ByteRange last = out.remove(out.size() - 1);
                out.add(new ByteRange(last.start, Math.max(last.end(), r.end()) - last.start));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
