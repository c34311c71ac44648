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
    /**
     * Chunks a {@link Access#STREAMED} reader has decoded ahead, and keeps of those it loaded last: one each.
     * Every chunk held when a young collection comes is promoted; with four of each the mount went through
     * more full collections reading an image's files than through the cache (31-36 against 26-28 for 473 MB),
     * with one of each 18-20.
     */
    static final int STREAMED_AHEAD = 1;
    static final int STREAMED_RECENT = 1;

    /** How a content is read, which decides what loading a chunk does besides decoding it. */
    public enum Access {
        /** From start to end (a file copied, played, hashed): the next chunks are decoded ahead and cached. */
        SEQUENTIAL,
        /**
         * From start to end by one long-lived reader over a large content that others rarely read (the files
         * inside an image, read in the device's order): the next chunk is decoded ahead for this reader
         * alone, and dropped once it has passed it. The chunk cache is asked but not filled: each chunk
         * would stay there long enough to outlive the young generation, and an image's worth of them went
         * through full collections one after another.
         */
        STREAMED,
        /**
         * A few bytes here and there, each once (a filesystem's metadata inside an image): neither read-ahead
         * nor the chunk cache, which would only fill with chunks no one reads again; the caller keeps what it
         * reads.
         */
        SCATTERED
    }

    private final ViewContext ctx;
    private final Access access;
    private final ReadAhead ahead;

    public ContentReader(ViewContext ctx, List<ChunkRef> refs) {
        this(ctx, refs, Access.SEQUENTIAL);
    }

    public ContentReader(ViewContext ctx, List<ChunkRef> refs, Access access) {
        super(refs);
        this.ctx = ctx;
        this.access = access;
        this.ahead = access == Access.STREAMED ? new ReadAhead(ctx, refs, STREAMED_AHEAD, STREAMED_RECENT) : null;
    }

    @Override
    protected byte[] load(int i) throws IOException {
        List<ChunkRef> refs = refs();
        switch (access) {
            case SCATTERED:
                return ctx.chunks.getUncached(refs.get(i).id());
            case STREAMED:
                return ahead.load(i);
            default:
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

    @Override
    public void close() {
        super.close();
        if (ahead != null) {
            ahead.clear();
        }
    }
}
