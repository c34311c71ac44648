package dev.strata.core.index;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The index's table of lost chunk copies (docs/format.md §9): key chunk id ‖ pack id, so that one
 * chunk's copies sit together. Used inside the index's transactions; thread-safe as they are.
 */
final class LostTable {
    private final Dbi<byte[]> dbi;

    LostTable(LmdbEnvironment lmdb) {
        this.dbi = lmdb.table("lost", false);
    }

    /** Whether the table is empty, as it nearly always is: then nothing needs looking up. */
    boolean isEmpty(Txn<byte[]> txn) {
        return dbi.stat(txn).entries == 0;
    }

    void put(Txn<byte[]> txn, LostChunk l) {
        dbi.put(txn, IndexCodec.lostKey(l.location().entry().id(), l.location().pack()), IndexCodec.lostValue(l));
    }

    /** The lost copy of {@code chunk} in {@code pack}, or null. */
    LostChunk get(Txn<byte[]> txn, ChunkId chunk, PackId pack) {
        byte[] key = IndexCodec.lostKey(chunk, pack);
        byte[] v = dbi.get(txn, key);
        return v == null ? null : IndexCodec.lost(key, v);
    }

    void delete(Txn<byte[]> txn, ChunkId chunk, PackId pack) {
        dbi.delete(txn, IndexCodec.lostKey(chunk, pack));
    }

    /** Every lost copy of one chunk. */
    List<LostChunk> of(Txn<byte[]> txn, ChunkId chunk) {
        byte[] from = IndexCodec.lostKey(chunk, PackId.of(new byte[32]));
        List<LostChunk> out = new ArrayList<>();
        try (Cursor<byte[]> c = dbi.openCursor(txn)) {
            boolean more = c.get(from, GetOp.MDB_SET_RANGE);
            while (more && Arrays.equals(c.key(), 0, 32, from, 0, 32)) {
                out.add(IndexCodec.lost(c.key(), c.val()));
                more = c.seek(SeekOp.MDB_NEXT);
            }
        }
        return out;
    }

    /** Every lost copy, in chunk id order. */
    List<LostChunk> all(Txn<byte[]> txn) {
        List<LostChunk> out = new ArrayList<>();
        try (CursorIterable<byte[]> it = dbi.iterate(txn)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                out.add(IndexCodec.lost(kv.key(), kv.val()));
            }
        }
        return out;
    }

    /** Deletes every lost copy in the given packs (one pass over the table, which stays small). */
    void deletePacks(Txn<byte[]> txn, Set<PackId> packs) {
        List<byte[]> doomed = new ArrayList<>();
        try (CursorIterable<byte[]> it = dbi.iterate(txn)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                if (packs.contains(PackId.of(kv.key(), 32))) {
                    doomed.add(kv.key());
                }
            }
        }
        doomed.forEach(k -> dbi.delete(txn, k));
    }

    void drop(Txn<byte[]> txn) {
        dbi.drop(txn);
    }
}
