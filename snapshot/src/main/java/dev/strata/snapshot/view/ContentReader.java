package dev.strata.snapshot.view;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;

import java.io.IOException;
import java.util.List;

/**
 * Reads a saved file's content for a mount: finds the chunks covering a range by binary search,
 * keeps the chunk it read last (FUSE reads 128 KiB at a time from 1 MiB chunks), has the next chunks
 * decoded ahead, and gives holes as zeros without touching storage. Thread-safe.
 */
public final class ContentReader implements OpenFile {
    /** Chunks decoded ahead of a sequential reader (the prefetch pool has two threads). */
    private static final int READ_AHEAD = 4;

    private final ViewContext ctx;
    private final List<ChunkRef> refs;
    private final long[] starts;
    private final long size;
    private final boolean readAhead;
    private volatile Cached last;

    private record Cached(int index, byte[] data) {
    }

    public ContentReader(ViewContext ctx, List<ChunkRef> refs) {
        this(ctx, refs, true);
    }

    /**
     * @param readAhead whether reading a chunk has the next ones decoded ahead: right for a file read
     *                  from start to end, wasted work for scattered reads (a filesystem's metadata)
     */
    public ContentReader(ViewContext ctx, List<ChunkRef> refs, boolean readAhead) {
        this.ctx = ctx;
        this.refs = refs;
        this.readAhead = readAhead;
        this.starts = new long[refs.size() + 1];
        for (int i = 0; i < refs.size(); i++) {
            starts[i + 1] = starts[i] + refs.get(i).length();
        }
        this.size = starts[refs.size()];
    }

    @Override
    public int read(long offset, int length, ReadSink sink) throws IOException {
        if (offset >= size || length <= 0) {
            return 0;
        }
        long end = Math.min(size, offset + length);
        long pos = offset;
        int written = 0;
        int i = indexOf(pos);
        while (pos < end) {
            ChunkRef r = refs.get(i);
            int n = (int) (Math.min(end, starts[i + 1]) - pos);
            if (r.isHole()) {
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
        byte[] data = ctx.chunks.get(ref.id());
        if (data.length != ref.length()) {
            // A tree that says more (or less) than the chunk holds: damage, not a read past an array.
            throw new CorruptDataException("chunk " + ref.id().shortString() + " has " + data.length
                    + " bytes, the file expects " + ref.length());
        }
        last = new Cached(i, data);
        for (int k = i + 1, fetched = 0; readAhead && k < refs.size() && fetched < READ_AHEAD; k++) {
            if (!refs.get(k).isHole()) {
                ctx.prefetch(refs.get(k).id());
                fetched++;
            }
        }
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
