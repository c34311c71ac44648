package dev.strata.core.store;

import dev.strata.core.id.ChunkId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plaintext of chunks put but not yet indexed, kept so that they are readable at once, with its
 * total size kept as it changes: a live volume asks for that size at every file it saves, and adding
 * it up there cost a walk over every pending chunk each time. Thread-safe.
 */
final class PendingPlain {
    private final Map<ChunkId, byte[]> chunks = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** Keeps {@code plain} for {@code id} unless there is plaintext for it already. */
    void put(ChunkId id, byte[] plain) {
        if (chunks.putIfAbsent(id, plain) == null) {
            bytes.addAndGet(plain.length);
        }
    }

    byte[] get(ChunkId id) {
        return chunks.get(id);
    }

    void remove(ChunkId id) {
        byte[] gone = chunks.remove(id);
        if (gone != null) {
            bytes.addAndGet(-gone.length);
        }
    }

    boolean contains(ChunkId id) {
        return chunks.containsKey(id);
    }

    /** Bytes of plaintext kept. */
    long bytes() {
        return bytes.get();
    }
}
