package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.store.StoredChunk;
import dev.strata.sync.wire.SpaceId;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;

/**
 * A chunk store as a source and sink of chunks: ids are the store's own, under its chunk-id key — a
 * repository's (the space of a repository both peers hold: the same repository id and keys) or a
 * shareable volume's (the space of the volume, over its store). A received chunk is stored whole, as one chunk, even if it is all zeros,
 * so that its id is then held. Thread-safe.
 */
public final class StoreChunks implements ChunkSource, ChunkSink {
    private final ChunkStore store;

    public StoreChunks(ChunkStore store) {
        this.store = store;
    }

    /** The space of the repository whose id is {@code repositoryId}, over its store. */
    public static ChunkSpace repositorySpace(byte[] repositoryId, ChunkStore store) {
        StoreChunks chunks = new StoreChunks(store);
        return new ChunkSpace(SpaceId.of(repositoryId), store.hasher(), chunks, chunks);
    }

    /**
     * The space of a volume with keys of its own, over the volume's store ({@code Repository.volumeStore}):
     * named by the volume id, its ids under the volume's chunk-id key, so that every repository holding
     * the volume's keys names its chunks alike (docs/format.md §2.4).
     */
    public static ChunkSpace volumeSpace(ChunkStore volumeStore) {
        if (volumeStore.space().isRepository()) {
            throw new IllegalArgumentException("a volume's space needs a store under the volume's keys");
        }
        StoreChunks chunks = new StoreChunks(volumeStore);
        return new ChunkSpace(SpaceId.of(volumeStore.space().volumeId()), volumeStore.hasher(), chunks, chunks);
    }

    @Override
    public byte[] read(ChunkId id) throws IOException {
        return store.get(id);
    }

    @Override
    public StoredChunk readStored(ChunkId id) throws IOException {
        return store.getStored(id);
    }

    @Override
    public BitSet lacking(List<ChunkId> ids) {
        BitSet lacking = new BitSet(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (!store.contains(ids.get(i))) {
                lacking.set(i);
            }
        }
        return lacking;
    }

    @Override
    public void store(ChunkId id, byte[] data) throws IOException {
        ChunkId stored = store.put(data, PackType.DATA);
        if (!stored.equals(id)) {
            // The caller verified the id under the space's key: a mismatch here means the space's key
            // is not this store's, which no space over a store may be.
            throw new IOException("chunk " + id.shortString() + " is " + stored.shortString() + " under " + store.space());
        }
    }

    @Override
    public void storeStored(ChunkId id, byte[] plain, StoredChunk stored) throws IOException {
        store.putStored(id, plain, stored);
    }

    @Override
    public void flush() throws IOException {
        store.flush();
    }
}
