package dev.strata.snapshot.view;

import dev.strata.core.store.ChunkRef;

import java.io.IOException;
import java.util.List;

/**
 * Reads a saved file's content for a mount: the chunks come from the repository's store, and loading
 * one has the next chunks decoded ahead. Thread-safe.
 */
public final class ContentReader extends ChunkedFile {
    /** Chunks decoded ahead of a sequential reader (the prefetch pool has two threads). */
    private static final int READ_AHEAD = 4;

    private final ViewContext ctx;
    private final boolean readAhead;

    public ContentReader(ViewContext ctx, List<ChunkRef> refs) {
        this(ctx, refs, true);
    }

    /**
     * @param readAhead whether reading a chunk has the next ones decoded ahead: right for a file read
     *                  from start to end, wasted work for scattered reads (a filesystem's metadata)
     */
    public ContentReader(ViewContext ctx, List<ChunkRef> refs, boolean readAhead) {
        super(refs);
        this.ctx = ctx;
        this.readAhead = readAhead;
    }

    @Override
    protected byte[] load(int i) throws IOException {
        List<ChunkRef> refs = refs();
        byte[] data = ctx.chunks.get(refs.get(i).id());
        for (int k = i + 1, fetched = 0; readAhead && k < refs.size() && fetched < READ_AHEAD; k++) {
            if (!refs.get(k).isHole()) {
                ctx.prefetch(refs.get(k).id());
                fetched++;
            }
        }
        return data;
    }
}
