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

    /** How a content is read, which decides what loading a chunk does besides decoding it. */
    public enum Access {
        /** From start to end (a file copied, played, hashed): the next chunks are decoded ahead and cached. */
        SEQUENTIAL,
        /**
         * A few bytes here and there, each once (a filesystem's metadata inside an image): neither read-ahead
         * nor the chunk cache, which would only fill with chunks no one reads again; the caller keeps what it
         * reads.
         */
        SCATTERED
    }

    private final ViewContext ctx;
    private final Access access;

    public ContentReader(ViewContext ctx, List<ChunkRef> refs) {
        this(ctx, refs, Access.SEQUENTIAL);
    }

    public ContentReader(ViewContext ctx, List<ChunkRef> refs, Access access) {
        super(refs);
        this.ctx = ctx;
        this.access = access;
    }

    @Override
    protected byte[] load(int i) throws IOException {
        List<ChunkRef> refs = refs();
        if (access == Access.SCATTERED) {
            return ctx.chunks.getUncached(refs.get(i).id());
        }
        byte[] data = ctx.chunks.get(refs.get(i).id());
        for (int k = i + 1, fetched = 0; k < refs.size() && fetched < READ_AHEAD; k++) {
            if (!refs.get(k).isHole()) {
                ctx.prefetch(refs.get(k).id());
                fetched++;
            }
        }
        return data;
    }
}
