package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;

/** Where the receiving side keeps the chunks it is sent, once their ids are verified. Implementations must be thread-safe. */
public interface ChunkSink {
    /** One bit per id, in order: set where the chunk is not held. */
    BitSet lacking(List<ChunkId> ids) throws IOException;

    /** Keeps a chunk whose id was checked against its bytes. */
    void store(ChunkId id, byte[] data) throws IOException;

    /**
     * Keeps a chunk that came in stored form, whose payload was decoded to {@code plain} and checked
     * against its id: a sink that keeps chunks as a store does keeps the payload as it came, without
     * compressing it again; others keep the plaintext.
     */
    default void storeStored(ChunkId id, byte[] plain, StoredChunk stored) throws IOException {
        store(id, plain);
    }

    /** Makes everything stored so far durable. */
    void flush() throws IOException;
}
