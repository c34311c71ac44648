package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;

import java.io.IOException;

/** Where the sending side reads the chunks it sends. Implementations must be thread-safe. */
public interface ChunkSource {
    /** The chunk's plaintext; fails if it is missing or damaged. */
    byte[] read(ChunkId id) throws IOException;
}
