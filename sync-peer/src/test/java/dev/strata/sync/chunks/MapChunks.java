package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Chunks in memory, for the exchange's own rules apart from any repository. Thread-safe. */
class MapChunks implements ChunkSource, ChunkSink {
    final Map<ChunkId, byte[]> chunks = new ConcurrentHashMap<>();

    ChunkId put(ChunkId id, byte[] d) {
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
