package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Chunks in memory, for the exchange's own rules apart from any repository. Thread-safe. */
public class MapChunks implements ChunkSource, ChunkSink {
    public final Map<ChunkId, byte[]> chunks = new ConcurrentHashMap<>();
    private final Runnable beforeLacking;

    public MapChunks() {
        this(() -> { });
    }

    /** With {@code beforeLacking} run each time the peer asks which chunks this side lacks (a test holds it there). */
    public MapChunks(Runnable beforeLacking) {
        this.beforeLacking = beforeLacking;
    }

    public ChunkId put(ChunkId id, byte[] d) {
        chunks.put(id, d);
        return id;
    }

    @Override
    public byte[] read(ChunkId id) throws IOException {
        byte[] d = chunks.get(id);
        if (d == null) {
            throw new IOException("no chunk " + id.shortString());
        }
        return d;
    }

    @Override
    public BitSet lacking(List<ChunkId> ids) {
        beforeLacking.run();
        BitSet b = new BitSet();
        for (int i = 0; i < ids.size(); i++) {
            if (!chunks.containsKey(ids.get(i))) {
                b.set(i);
            }
        }
        return b;
    }

    @Override
    public void store(ChunkId id, byte[] data) {
        chunks.put(id, data);
    }

    @Override
    public void flush() {
    }
}
