package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.index.LmdbTxn;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A shared volume's sync index in its state (docs/sync.md, "File records"): the newest record of
 * every path, by path and by sequence number, the names of each hard-link group, and per peer the
 * last of its sequence numbers applied. Every method runs inside a step of the state's session, so a
 * change and its record are saved together; not thread-safe on its own (the session runs one step at
 * a time).
 */
final class SyncIndex {
    private static final byte[] DEVICE = "syncDevice".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NEXT_SYNC_SEQ = "nextSyncSeq".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Inodes and paths as the state holds them. */
    interface Tree {
        Inode inode(LmdbTxn tx, long ino) throws java.io.IOException;

        byte[] path(LmdbTxn tx, long ino) throws java.io.IOException;

        /** The entries of folder {@code ino}: name and child inode number. */
        List<VolumeState.Entry> entries(LmdbTxn tx, long ino);
    }

    private final LmdbTable meta;
    private final LmdbTable records;
    private final LmdbTable bySeq;
    private final LmdbTable groupNames;
    private final LmdbTable inodeGroups;
    private final LmdbTable peers;
    private final LmdbTable conflicts;
    private final Tree tree;
    /** This device's short id; 0 while the volume is not shared. Written in a step, read by any thread. */
    private volatile long device;

    SyncIndex(LmdbEnvironment lmdb, LmdbTable meta, Tree tree) {
        this.meta = meta;
        this.records = lmdb.openTable("sync");
        this.bySeq = lmdb.openTable("syncSeqs");
        this.groupNames = lmdb.openTable("syncGroups");
        this.inodeGroups = lmdb.openTable("syncInodeGroups");
        this.peers = lmdb.openTable("syncPeers");
        this.conflicts = lmdb.openTable("syncConflicts");
        this.tree = tree;
    }

    /** Reads whether the volume is shared (at open). */
    void load(LmdbTxn tx) {
        byte[] d = meta.get(tx, DEVICE);
        device = d == null ? 0 : Keys.u64(d, 0);
    }

    boolean on() {
        return device != 0;
    }

    long device() {
        return device;
    }

    /** Starts indexing as device {@code id}: every path there is gets a record. False if it was already on. */
    boolean enable(LmdbTxn tx, long id) throws java.io.IOException {
        if (id == 0) {
            throw new IllegalArgumentException("a device's short id is not 0");
        }
        if (device != 0) {
            if (device != id) {
                throw new IllegalStateException("the volume is indexed as device " + Long.toHexString(device)
                        + ", not " + Long.toHexString(id));
            }
            return false;
        }
        meta.put(tx, DEVICE, Keys.u64(id));
        device = id;
        indexBelow(tx, Inode.ROOT, new byte[0]);
        return true;
    }

    private void indexBelow(LmdbTxn tx, long folder, byte[] folderPath) throws java.io.IOException {
        for (VolumeState.Entry e : tree.entries(tx, folder)) {
            Inode n = tree.inode(tx, e.child());
            byte[] path = join(folderPath, e.name());
            if (n.nlink() > 1 && n.type() == NodeType.FILE) {
                groupOf(tx, n.ino(), true);
            }
            if (n.isDirectory()) {
                indexBelow(tx, n.ino(), path);
            }
            // A folder after what it holds: applied in this order, the names made in it do not move its time.
            refresh(tx, path, n);
        }
    }

    // --- local changes -----------------------------------------------------------------------------

    /** Path {@code path} now names {@code n}: its record is brought up to date (a new version if it says something new). */
    void refresh(LmdbTxn tx, byte[] path, Inode n) throws CorruptDataException {
        if (!syncable(n.type()) || path.length == 0) {
            return; // special files do not travel, nor the root's own metadata
        }
        SyncRecord old = record(tx, path);
        FileContent content = n.content();
        long size = n.type() == NodeType.FILE ? content.size() : 0;
        Timestamp mtime = n.mtime();
        if (n.staging() != null && old != null && !old.deleted() && old.type() == NodeType.FILE) {
            // Unsealed changes are not what the record says: it keeps the content of the last version.
            content = old.content();
            size = old.size();
            mtime = old.mtime();
        }
        SyncRecord now = SyncRecord.of(path, n, content, size, mtime, groupOf(tx, n.ino(), false), VersionVector.EMPTY, 0);
        if (old != null && old.sameAs(now)) {
            return;
        }
        put(tx, now, old);
    }

    /** Every name of inode {@code n} (one, or each of its hard-link group's) is brought up to date. */
    void inodeChanged(LmdbTxn tx, Inode n) throws java.io.IOException {
        if (!syncable(n.type()) || n.nlink() == 0) {
            return;
        }
        long group = groupOf(tx, n.ino(), false);
        if (group == 0) {
            refresh(tx, tree.path(tx, n.ino()), n);
            return;
        }
        for (byte[] path : names(tx, group)) {
            refresh(tx, path, n);
        }
    }

    /** Nothing is at {@code path} any more: a tombstone, newer than what was there. */
    void removed(LmdbTxn tx, byte[] path) throws CorruptDataException {
        SyncRecord old = record(tx, path);
        if (old != null && !old.deleted()) {
            put(tx, old.tombstone(VersionVector.EMPTY, 0), old);
        }
    }

    /** {@code from} moved to {@code to} with everything below it: tombstones at the old paths, the records at the new. */
    void moved(LmdbTxn tx, byte[] from, byte[] to, Inode moving) throws java.io.IOException {
        List<SyncRecord> below = new ArrayList<>();
        byte[] prefix = join(from, new byte[0]);
        records.scan(tx, prefix, null, (k, v) -> below.add(decodeUnchecked(v, k)));
        SyncRecord source = record(tx, from);
        removed(tx, from);
        if (source != null && !source.deleted()) {
            // The record it had travels with it: for a file with unsealed changes, its last version,
            // which refresh could only take from the record at the new path (another file's).
            put(tx, source.at(to), record(tx, to));
        } else {
            refresh(tx, to, moving);
        }
        for (SyncRecord r : below) {
            if (r.deleted()) {
                continue;
            }
            byte[] rest = Arrays.copyOfRange(r.path(), prefix.length, r.path().length);
            byte[] newPath = join(to, rest);
            put(tx, r.tombstone(VersionVector.EMPTY, 0), r);
            SyncRecord there = record(tx, newPath);
            put(tx, r.at(newPath), there);
        }
    }

    /** Inode {@code ino} gets a second name: it joins a hard-link group, its first name's record says so. */
    void linking(LmdbTxn tx, Inode n, byte[] firstPath) throws CorruptDataException {
        if (n.type() != NodeType.FILE || groupOf(tx, n.ino(), false) != 0) {
            return;
        }
        groupOf(tx, n.ino(), true);
        refresh(tx, firstPath, n);
    }

    /** Inode {@code ino} is gone for good. */
    void inodeGone(LmdbTxn tx, long ino) {
        inodeGroups.delete(tx, Keys.u64(ino));
    }

    // --- reading ----------------------------------------------------------------------------------

    SyncRecord record(LmdbTxn tx, byte[] path) throws CorruptDataException {
        byte[] v = records.get(tx, path);
        return v == null ? null : SyncRecord.decode(v, "sync record of " + VolumeState.printable(path));
    }

    /** Up to {@code max} records indexed after sequence number {@code after}, in sequence order. */
    List<SyncRecord> since(LmdbTxn tx, long after, int max) throws CorruptDataException {
        List<byte[]> paths = new ArrayList<>();
        bySeq.scan(tx, new byte[0], Keys.u64(after + 1), (k, v) -> paths.add(v) && paths.size() < max);
        List<SyncRecord> out = new ArrayList<>(paths.size());
        for (byte[] p : paths) {
            out.add(record(tx, p));
        }
        return out;
    }

    /** The last sequence number handed out (0: none). */
    long sequence(LmdbTxn tx) {
        byte[] v = meta.get(tx, NEXT_SYNC_SEQ);
        return v == null ? 0 : Keys.u64(v, 0) - 1;
    }

    long peerSequence(LmdbTxn tx, byte[] peer) {
        byte[] v = peers.get(tx, peer);
        return v == null ? 0 : Keys.u64(v, 0);
    }

    void peerSequence(LmdbTxn tx, byte[] peer, long seq) {
        peers.put(tx, peer, Keys.u64(seq));
    }

    /** Notes a conflict decided here: {@code lost} was not kept, {@code kept} was. */
    void noteConflict(LmdbTxn tx, SyncRecord lost, SyncRecord kept, Timestamp now) {
        SyncConflict c = new SyncConflict(lost.path(), now, kept.author(), lost.author(), lost.deleted(), lost.size(),
                lost.mtime());
        conflicts.put(tx, Keys.u64(kept.seq()), c.encode());
    }

    List<SyncConflict> conflicts(LmdbTxn tx) throws CorruptDataException {
        List<byte[]> values = new ArrayList<>();
        conflicts.scan(tx, new byte[0], null, (k, v) -> values.add(v));
        List<SyncConflict> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(SyncConflict.decode(v));
        }
        return out;
    }

    // --- inside -----------------------------------------------------------------------------------

    /**
     * Saves {@code r} at its path as this device's newest change there: its vector is the one there
     * ({@code old}'s) with this device's counter set to the next sequence number, which it is indexed under.
     */
    private void put(LmdbTxn tx, SyncRecord r, SyncRecord old) {
        long seq = nextSeq(tx);
        VersionVector base = old == null ? VersionVector.EMPTY : old.vector();
        store(tx, r.madeBy(device, base.bump(device, seq), seq), old);
    }

    /** Saves {@code r} as it is (its vector and sequence number chosen), replacing {@code old}. */
    void store(LmdbTxn tx, SyncRecord r, SyncRecord old) {
        byte[] path = r.path();
        if (old != null) {
            bySeq.delete(tx, Keys.u64(old.seq()));
            if (old.group() != 0) {
                groupNames.delete(tx, groupKey(old.group(), path));
            }
        }
        records.put(tx, path, r.encode());
        bySeq.put(tx, Keys.u64(r.seq()), path);
        if (!r.deleted() && r.group() != 0) {
            groupNames.put(tx, groupKey(r.group(), path), new byte[0]);
        }
    }

    long nextSeq(LmdbTxn tx) {
        byte[] v = meta.get(tx, NEXT_SYNC_SEQ);
        long n = v == null ? 1 : Keys.u64(v, 0);
        meta.put(tx, NEXT_SYNC_SEQ, Keys.u64(n + 1));
        return n;
    }

    /** The hard-link group of {@code ino}; with {@code make}, a new random one when it has none. */
    long groupOf(LmdbTxn tx, long ino, boolean make) {
        byte[] v = inodeGroups.get(tx, Keys.u64(ino));
        if (v != null) {
            return Keys.u64(v, 0);
        }
        if (!make) {
            return 0;
        }
        long g;
        do {
            g = RANDOM.nextLong();
        } while (g == 0);
        setGroup(tx, ino, g);
        return g;
    }

    void setGroup(LmdbTxn tx, long ino, long group) {
        inodeGroups.put(tx, Keys.u64(ino), Keys.u64(group));
    }

    /** The paths whose records name hard-link group {@code group}. */
    List<byte[]> names(LmdbTxn tx, long group) {
        List<byte[]> out = new ArrayList<>();
        groupNames.scan(tx, Keys.u64(group), null, (k, v) -> out.add(Arrays.copyOfRange(k, 8, k.length)));
        return out;
    }

    private static byte[] groupKey(long group, byte[] path) {
        return ByteBuffer.allocate(8 + path.length).putLong(group).put(path).array();
    }

    static boolean syncable(NodeType t) {
        return t == NodeType.FILE || t == NodeType.DIRECTORY || t == NodeType.SYMLINK;
    }

    /** {@code folder/name}; {@code name} alone at the root. With an empty name, the prefix of every path below. */
    static byte[] join(byte[] folder, byte[] name) {
        if (folder.length == 0) {
            return name.clone();
        }
        return ByteBuffer.allocate(folder.length + 1 + name.length).put(folder).put((byte) '/').put(name).array();
    }

    private static SyncRecord decodeUnchecked(byte[] v, byte[] path) {
        try {
            return SyncRecord.decode(v, "sync record of " + VolumeState.printable(path));
        } catch (CorruptDataException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
