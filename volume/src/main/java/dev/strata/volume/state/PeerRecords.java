package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.index.LmdbTxn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What each peer of a shared volume holds, as its records last came (docs/sync.md, "What a peer
 * has"): per peer, the newest record it sent of every path it holds, keyed so that a folder's names
 * are one range (peer short id, folder path, NUL, name), and through which of its sequence numbers
 * the records were kept without a gap, from its first on. Tombstones remove a path. Every method runs inside a step of the state's
 * session; not thread-safe on its own.
 */
final class PeerRecords {
    private final LmdbTable records;
    /**
     * Peer device ID → the peer's sequence number through which every record it sent is in the table
     * (kept since its sequence 0, in order); absent for a peer whose records were never kept.
     */
    private final LmdbTable kept;

    PeerRecords(LmdbEnvironment lmdb) {
        this.records = lmdb.openTable("syncPeerRecords");
        this.kept = lmdb.openTable("syncPeerViews");
    }

    /** The peer's sequence number through which the table holds all it sent; -1 if it keeps nothing of it. */
    long filled(LmdbTxn tx, byte[] peer) {
        byte[] v = kept.get(tx, peer);
        return v == null ? -1 : Keys.u64(v, 0);
    }

    /** The table holds every record {@code peer} sent through its sequence {@code seq} (never moves back). */
    void filled(LmdbTxn tx, byte[] peer, long seq) {
        long now = filled(tx, peer);
        if (now >= 0 && seq > now) {
            kept.put(tx, peer, Keys.u64(seq));
        }
    }

    /** From now on the table holds everything {@code peer} sends from its sequence 0: what was kept is dropped. */
    void restart(LmdbTxn tx, byte[] peer, long peerShort) {
        List<byte[]> stale = new ArrayList<>();
        records.scan(tx, Keys.u64(peerShort), null, (k, v) -> stale.add(k));
        for (byte[] k : stale) {
            records.delete(tx, k);
        }
        kept.put(tx, peer, Keys.u64(0));
    }

    /** Takes {@code r} as what {@code peerShort} now has at its path (nothing, for a tombstone). */
    void take(LmdbTxn tx, long peerShort, SyncRecord r) {
        byte[] key = key(peerShort, r.path());
        if (r.deleted()) {
            records.delete(tx, key);
        } else {
            records.put(tx, key, r.withCopiesOnly(List.of()).encode());
        }
    }

    SyncRecord get(LmdbTxn tx, long peerShort, byte[] path) throws CorruptDataException {
        byte[] v = records.get(tx, key(peerShort, path));
        return v == null ? null : SyncRecord.decode(v, "peer record of " + VolumeState.printable(path));
    }

    /** The records of the names directly in folder {@code folder} ({@code ""}: the root), by name. */
    List<SyncRecord> children(LmdbTxn tx, long peerShort, byte[] folder) throws CorruptDataException {
        List<byte[]> values = new ArrayList<>();
        records.scan(tx, prefix(peerShort, folder), null, (k, v) -> values.add(v));
        List<SyncRecord> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(SyncRecord.decode(v, "peer record in " + VolumeState.printable(folder)));
        }
        return out;
    }

    private static byte[] key(long peerShort, byte[] path) {
        int slash = path.length - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        byte[] folder = slash < 0 ? new byte[0] : Arrays.copyOfRange(path, 0, slash);
        byte[] name = Arrays.copyOfRange(path, slash + 1, path.length);
        return ByteBuffer.allocate(8 + folder.length + 1 + name.length).putLong(peerShort).put(folder).put((byte) 0)
                .put(name).array();
    }

    private static byte[] prefix(long peerShort, byte[] folder) {
        return ByteBuffer.allocate(8 + folder.length + 1).putLong(peerShort).put(folder).put((byte) 0).array();
    }
}
