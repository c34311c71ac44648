package dev.strata.snapshot;

import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The snapshot records the local cache holds (decrypted JSON by snapshot id), read in one transaction
 * and decoded. Only what the repository's listing names is ever shown: {@link Snapshots#list} takes a
 * record from here only for an id the listing holds (the id is the hash of the stored record), and
 * deletes the others from the cache.
 *
 * <p>{@link #prefetch()} gives a warm-up for {@code OpenOptions.withCacheWarmUp}: the cache is read and
 * its records decoded on another core while the key is derived, which costs a cold JVM about as long
 * as the derivation. Filled by one thread, then handed over (the open waits for the warm-up to end);
 * read by one thread after.
 */
public final class CachedSnapshots {
    static final String TABLE = "snapshots";

    private final Map<SnapshotId, byte[]> records = new HashMap<>();
    /** Keys that name no snapshot (not 32 bytes): nothing a listing asks for, dropped with the stale ones. */
    private final List<byte[]> malformed = new ArrayList<>();
    private final Map<SnapshotId, Snapshot> decoded = new HashMap<>();

    private CachedSnapshots() {
    }

    /** Every record the cache table holds, in one read transaction; none decoded yet. */
    static CachedSnapshots read(LmdbTable table) {
        CachedSnapshots c = new CachedSnapshots();
        table.forEach((k, v) -> {
            if (k.length == SnapshotId.LENGTH) {
                c.records.put(SnapshotId.of(k), v);
            } else {
                c.malformed.add(k);
            }
        });
        return c;
    }

    /**
     * A warm-up that reads the cache of {@code env} and decodes every record it can; what fails to read
     * or decode is left to {@link Snapshots#list}, which reads it again and reports it.
     */
    public static Prefetch prefetch() {
        return new Prefetch();
    }

    /** The cached record of {@code id}, decoded; null when the cache does not hold it. */
    Snapshot get(SnapshotId id) throws IOException {
        Snapshot s = decoded.get(id);
        if (s != null) {
            return s;
        }
        byte[] json = records.get(id);
        return json == null ? null : SnapshotCodec.decode(json, id);
    }

    /** The ids cached but not in {@code present}: records forgotten since, to drop from the cache. */
    List<byte[]> absentFrom(Set<SnapshotId> present) {
        List<byte[]> out = new ArrayList<>(malformed);
        for (SnapshotId id : records.keySet()) {
            if (!present.contains(id)) {
                out.add(id.bytes());
            }
        }
        return out;
    }

    private void decodeAll() {
        records.forEach((id, json) -> {
            try {
                decoded.put(id, SnapshotCodec.decode(json, id));
            } catch (IOException | RuntimeException damaged) {
                // Decoded again, and reported, by the listing that asks for it.
            }
        });
    }

    /** The records read and decoded ahead, while the repository opens. */
    public static final class Prefetch implements Consumer<LmdbEnvironment> {
        private volatile CachedSnapshots read;

        private Prefetch() {
        }

        @Override
        public void accept(LmdbEnvironment env) {
            CachedSnapshots c = CachedSnapshots.read(env.openTable(TABLE));
            c.decodeAll();
            read = c;
        }

        /**
         * What the warm-up read, once: null when it did not run (no cache yet), failed, or was taken
         * already (a second listing reads the cache as it is then).
         */
        CachedSnapshots take() {
            CachedSnapshots c = read;
            read = null;
            return c;
        }
    }
}
