package dev.strata.volume.data;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.view.ReadSink;

import java.io.IOException;
import java.util.List;

/**
 * Reads byte ranges of a sealed content (the base a file's changes apply to): finds the chunk by
 * binary search, gives holes as zeros, and keeps the chunk it decoded last, since the kernel reads
 * 128 KiB at a time from chunks of about 1 MiB. Thread-safe.
 */
final class BaseReader {
    private final ChunkStore store;
    private final List<ChunkRef> refs;
    private final long[] starts;
    private volatile Decoded last;

    private record Decoded(int index, byte[] data) {
    }

    BaseReader(ChunkStore store, List<ChunkRef> refs) {
        this.store = store;
        this.refs = List.copyOf(refs);
        this.starts = new long[refs.size() + 1];
        for (int i = 0; i < refs.size(); i++) {
            starts[i + 1] = starts[i] + refs.get(i).length();
        }
    }

    long size() {
        return starts[refs.size()];
    }

    List<ChunkRef> refs() {
        return refs;
    }

    /** Offsets where the content's chunks start, and its size last. */
    long[] boundaries() {
        return starts.clone();
    }

    /** Where chunk {@code i} starts ({@code i} = the number of chunks: the size). */
    long startOf(int i) {
        return starts[i];
    }

    /** Whether chunk {@code i} is a hole. */
    boolean isHoleChunk(int i) {
        return refs.get(i).isHole();
    }

    /** Whether {@code [from, to)} lies inside holes only. */
    boolean isHole(long from, long to) {
        int i = indexOf(from);
        while (i < refs.size() && starts[i] < to) {
            if (!refs.get(i).isHole()) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** Copies {@code [from, from + length)} (within the content) into {@code dst} at {@code at}. */
    void read(long from, byte[] dst, int at, int length) throws IOException {
        long pos = from;
        long end = from + length;
        int i = indexOf(pos);
        while (pos < end) {
            ChunkRef r = refs.get(i);
            int n = (int) (Math.min(end, starts[i + 1]) - pos);
            int into = at + (int) (pos - from);
            if (r.isHole()) {
                java.util.Arrays.fill(dst, into, into + n, (byte) 0);
            } else {
                System.arraycopy(chunk(i), (int) (pos - starts[i]), dst, into, n);
            }
            pos += n;
            i++;
        }
    }

    /**
     * Puts {@code [from, from + length)} (within the content, outside holes) into {@code sink} at
     * {@code at}, straight from the decoded chunks.
     */
    void readTo(long from, int length, ReadSink sink, int at) throws IOException {
        long pos = from;
        long end = from + length;
        int i = indexOf(pos);
        while (pos < end) {
            int n = (int) (Math.min(end, starts[i + 1]) - pos);
            int into = at + (int) (pos - from);
            if (refs.get(i).isHole()) {
                sink.zero(into, n);
            } else {
                sink.put(into, chunk(i), (int) (pos - starts[i]), n);
            }
            pos += n;
            i++;
        }
    }

    private byte[] chunk(int i) throws IOException {
        Decoded d = last;
        if (d != null && d.index == i) {
            return d.data;
        }
        byte[] data = store.get(refs.get(i).id());
        last = new Decoded(i, data);
        return data;
    }

    /** The index of the chunk holding {@code pos} (which is below the size). */
    int indexOf(long pos) {
        int lo = 0;
        int hi = refs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
