package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;

/** Where the receiving side keeps the chunks it is sent, once their ids are verified. Implementations must be thread-safe. */
public interface ChunkSink {
    /** One bit per id, in order: set where the chunk is not held. */
    BitSet lacking(List<ChunkId> ids) throws IOException;

    /** Keeps a chunk whose id was checked against its bytes. */
    void store(ChunkId id, byte[] data) throws IOException;

    /** Makes everything stored so far durable. */
    void flush() throws IOException;
}
