package dev.strata.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ranges of a device that each hold a piece of one file's bytes, sorted and not overlapping:
 * an image ends its chunk stream where each of them starts and ends, so that a file's chunks are
 * those a file backup of it makes. A range that overlaps an earlier one (only a damaged filesystem
 * shares blocks between files) is left out. Immutable.
 */
final class FileSegments {
    static final FileSegments NONE = new FileSegments(new long[0], new long[0]);

    private final long[] starts;
    private final long[] ends;

    private FileSegments(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    static FileSegments of(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.removeIf(r -> r.length() <= 0);
        sorted.sort(Comparator.comparingLong(ByteRange::start));
        long[] starts = new long[sorted.size()];
        long[] ends = new long[sorted.size()];
        int n = 0;
        for (ByteRange r : sorted) {
            if (n > 0 && r.start() < ends[n - 1]) {
                continue;
            }
            starts[n] = r.start();
            ends[n] = r.end();
            n++;
        }
        return new FileSegments(java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n));
    }

    int count() {
        return starts.length;
    }

    /** The first segment at or after {@code from} that ends after {@code position}. */
    int advance(int from, long position) {
        int i = from;
        while (i < starts.length && ends[i] <= position) {
            i++;
        }
        return i;
    }

    /** Whether segment {@code i} (as {@link #advance} gave it) holds {@code position}. */
    boolean holds(int i, long position) {
        return i < starts.length && starts[i] <= position;
    }

    /** Where the current piece ends: the end of segment {@code i} if it holds {@code position}, else its start. */
    long nextBoundary(int i, long position) {
        if (i >= starts.length) {
            return Long.MAX_VALUE;
        }
        return holds(i, position) ? ends[i] : starts[i];
    }
}
