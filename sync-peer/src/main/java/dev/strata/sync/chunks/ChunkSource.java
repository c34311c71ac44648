package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;

import java.io.IOException;

/** Where the sending side reads the chunks it sends. Implementations must be thread-safe. */
public interface ChunkSource {
    /** The chunk's plaintext; fails if it is missing or damaged. */
    byte[] read(ChunkId id) throws IOException;

    /**
     * The chunk as this device stores it (compressed or not, docs/sync.md "Chunks as they are stored"),
     * for a peer that takes that form; a source that keeps chunks otherwise gives the plaintext.
     */
    default StoredChunk readStored(ChunkId id) throws IOException {
        return StoredChunk.plain(read(id));
    }
}
