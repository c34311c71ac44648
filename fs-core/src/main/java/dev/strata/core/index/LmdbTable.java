package dev.strata.core.index;

import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A named key-value table in a repository's LMDB environment, for layers above the index that keep
 * their own cached or temporary data (snapshot records, prune's mark set). Keys compare as unsigned
 * bytes; values are copied in and out. Thread-safe.
 */
public final class LmdbTable {
    private final LmdbEnvironment lmdb;
    private final Dbi<byte[]> dbi;
    private final String name;
    private boolean dropped;

    LmdbTable(LmdbEnvironment lmdb, Dbi<byte[]> dbi, String name) {
        this.lmdb = lmdb;
        this.dbi = dbi;
        this.name = name;
    }

    /** The table's name in the environment. */
    public String name() {
        return name;
    }

    public byte[] get(byte[] key) {
        return lmdb.read(txn -> dbi.get(txn, key));
    }

    public boolean contains(byte[] key) {
        return get(key) != null;
    }

    public void put(byte[] key, byte[] value) {
        lmdb.write(txn -> dbi.put(txn, key, value));
    }

    /** Writes many entries in one transaction. */
    public void putAll(Map<byte[], byte[]> entries) {
        if (entries.isEmpty()) {
            return;
        }
        lmdb.write(txn -> entries.forEach((k, v) -> dbi.put(txn, k, v)));
    }

    /** Adds keys with an empty value in one transaction; returns how many were new. */
    public int addKeys(Collection<byte[]> keys) {
        int[] added = {0};
        if (keys.isEmpty()) {
            return 0;
        }
        lmdb.write(txn -> {
            added[0] = 0;
            for (byte[] k : keys) {
                if (dbi.get(txn, k) == null) {
                    dbi.put(txn, k, new byte[0]);
                    added[0]++;
                }
            }
        });
        return added[0];
    }

    public void delete(byte[] key) {
        lmdb.write(txn -> dbi.delete(txn, key));
    }

    public void deleteAll(Collection<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        lmdb.write(txn -> keys.forEach(k -> dbi.delete(txn, k)));
    }

    /** Visits every entry in key order within one read transaction. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        lmdb.read(txn -> {
            try (CursorIterable<byte[]> it = dbi.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    visitor.accept(kv.key(), kv.val());
                }
            }
            return null;
        });
    }

    public long count() {
        return lmdb.read(txn -> dbi.stat(txn).entries);
    }

    public void clear() {
        lmdb.write(txn -> dbi.drop(txn));
    }

    /** Deletes the table from the environment; the handle is unusable afterwards. Idempotent. */
    public synchronized void drop() {
        if (!dropped) {
            dropped = true;
            lmdb.write(txn -> dbi.drop(txn, true));
        }
    }
}
