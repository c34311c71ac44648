package dev.strata.snapshot.copy;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.repo.Repository;

import java.util.HashMap;
import java.util.Map;

/**
 * What data chunks of one source repository are called in the target: source chunk id to target
 * chunk id, kept in the target's local cache (an LMDB table beside its index). Thread-safe.
 *
 * <p>An entry never goes stale. A chunk id is a keyed hash of the chunk's bytes, so the source id
 * names one content and the target id is the target key's hash of that same content, whatever either
 * repository holds now. Whether the target still stores the chunk is asked of its index each time.
 */
final class ChunkIdMap {
    private static final int SOURCE_ID_LENGTH = 16;
    private final LmdbTable table;
    private final byte[] source;

    ChunkIdMap(Repository target, byte[] sourceRepositoryId) {
        if (sourceRepositoryId.length != SOURCE_ID_LENGTH) {
            throw new IllegalArgumentException("a repository id has " + SOURCE_ID_LENGTH + " bytes");
        }
        this.table = target.lmdb().openTable("copy-ids");
        this.source = sourceRepositoryId.clone();
    }

    /** The target's id of the source's chunk, or null when it was never worked out here. */
    ChunkId get(ChunkId sourceId) {
        byte[] v = table.get(key(sourceId));
        return v == null ? null : ChunkId.of(v);
    }

    /** Remembers pairs source id → target id, in one transaction. */
    void putAll(Map<ChunkId, ChunkId> pairs) {
        if (pairs.isEmpty()) {
            return;
        }
        Map<byte[], byte[]> entries = new HashMap<>();
        pairs.forEach((from, to) -> entries.put(key(from), to.bytes()));
        table.putAll(entries);
    }

    private byte[] key(ChunkId sourceId) {
        byte[] k = new byte[SOURCE_ID_LENGTH + ChunkId.LENGTH];
        System.arraycopy(source, 0, k, 0, SOURCE_ID_LENGTH);
        sourceId.copyTo(k, SOURCE_ID_LENGTH);
        return k;
    }
}
