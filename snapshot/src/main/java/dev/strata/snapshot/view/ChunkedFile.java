package dev.strata.snapshot.view;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;

import java.io.IOException;
import java.util.List;

/**
 * An open file whose content is a list of chunks and holes: finds the chunks covering a read by binary
 * search, gives holes as zeros without loading anything, and keeps the chunk it loaded last (FUSE reads
 * 128 KiB at a time from chunks of up to several MiB). Where a chunk comes from is the subclass's.
 * Thread-safe when {@link #load} is.
 */
public abstract class ChunkedFile implements OpenFile {
    private final List<ChunkRef> refs;
    private final long[] starts;
    private volatile Cached last;

    private record Cached(int index, byte[] data) {
    }

    protected ChunkedFile(List<ChunkRef> refs) {
        this.refs = refs;
        this.starts = new long[refs.size() + 1];
        for (int i = 0; i < refs.size(); i++) {
            starts[i + 1] = starts[i] + refs.get(i).length();
        }
    }

    /** The bytes of chunk {@code index} of the content (never a hole). */
    protected abstract byte[] load(int index) throws IOException;

    protected final List<ChunkRef> refs() {
        return refs;
    }

    /** The content's length in bytes. */
    public final long size() {
        return starts[refs.size()];
    }

    @Override
    public final int read(long offset, int length, ReadSink sink) throws IOException {
        if (offset >= size() || length <= 0) {
            return 0;
        }
        long end = Math.min(size(), offset + length);
        long pos = offset;
        int written = 0;
        int i = indexOf(pos);
        while (pos < end) {
            int n = (int) (Math.min(end, starts[i + 1]) - pos);
            if (refs.get(i).isHole()) {
                sink.zero(written, n);
            } else {
                sink.put(written, chunk(i), (int) (pos - starts[i]), n);
            }
            pos += n;
            written += n;
            i++;
        }
        return written;
    }

    private byte[] chunk(int i) throws IOException {
        Cached c = last;
        if (c != null && c.index() == i) {
            return c.data();
        }
        ChunkRef ref = refs.get(i);
        byte[] data = load(i);
        if (data.length != ref.length()) {
            // A tree or record that says more (or less) than the chunk holds: damage, not a read past an array.
            throw new CorruptDataException("chunk " + ref.id().shortString() + " has " + data.length
                    + " bytes, the file expects " + ref.length());
        }
        last = new Cached(i, data);
        return data;
    }

    /** The index of the chunk holding byte {@code pos}. */
    private int indexOf(long pos) {
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

    @Override
    public void close() {
        last = null;
    }
}
