package dev.strata.core.store;

import dev.strata.core.id.ChunkId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache of decoded chunks, bounded by their total bytes. Thread-safe. Cached
 * arrays are shared: callers must not modify them.
 */
final class ChunkCache {
    private final long capacityBytes;
    private final LinkedHashMap<ChunkId, byte[]> map = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ChunkCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    synchronized byte[] get(ChunkId id) {
        return map.get(id);
    }

    synchronized void put(ChunkId id, byte[] data) {
        if (data.length > capacityBytes) {
            return;
        }
        byte[] old = map.put(id, data);
        if (old != null) {
            bytes -= old.length;
        }
        bytes += data.length;
        var it = map.entrySet().iterator();
        while (bytes > capacityBytes && it.hasNext()) {
            Map.Entry<ChunkId, byte[]> eldest = it.next();
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }
}
