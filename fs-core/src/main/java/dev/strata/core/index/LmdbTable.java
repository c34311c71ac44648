package dev.strata.core.index;

import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.KeyRange;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

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

    // --- inside a transaction of several tables (LmdbSession, LmdbEnvironment.inWrite) ----------

    public byte[] get(LmdbTxn txn, byte[] key) {
        return dbi.get(txn.txn, key);
    }

    public void put(LmdbTxn txn, byte[] key, byte[] value) {
        dbi.put(txn.txn, key, value);
    }

    /** Removes the entry; returns whether there was one. */
    public boolean delete(LmdbTxn txn, byte[] key) {
        return dbi.delete(txn.txn, key);
    }

    /**
     * Visits the entries whose keys start with {@code prefix}, in key order, from the first key at or
     * after {@code from} (null: the prefix itself), until {@code visitor} returns false.
     */
    public void scan(LmdbTxn txn, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        byte[] start = from == null ? prefix : from;
        // LMDB refuses an empty key, even to seek: from the very start is simply every key.
        KeyRange<byte[]> range = start.length == 0 ? KeyRange.all() : KeyRange.atLeast(start);
        try (CursorIterable<byte[]> it = dbi.iterate(txn.txn, range)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                byte[] k = kv.key();
                if (!startsWith(k, prefix) || !visitor.test(k, kv.val())) {
                    return;
                }
            }
        }
    }

    /** The greatest key starting with {@code prefix}, or null. */
    public byte[] lastKey(LmdbTxn txn, byte[] prefix) {
        byte[] after = successor(prefix);
        KeyRange<byte[]> range = after == null ? KeyRange.allBackward() : KeyRange.lessThanBackward(after);
        try (CursorIterable<byte[]> it = dbi.iterate(txn.txn, range)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                return startsWith(kv.key(), prefix) ? kv.key() : null;
            }
        }
        return null;
    }

    public long count(LmdbTxn txn) {
        return dbi.stat(txn.txn).entries;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The least byte string greater than every string starting with {@code prefix}; null if none. */
    private static byte[] successor(byte[] prefix) {
        byte[] s = prefix.clone();
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] != (byte) 0xff) {
                s[i]++;
                return Arrays.copyOf(s, i + 1);
            }
        }
        return null;
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
