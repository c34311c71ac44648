package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbSession;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.index.LmdbTxn;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

/**
 * A volume's own state — inodes, folder entries, saved versions, seals not yet durable — in its own
 * LMDB environment, and the POSIX rules for changing it. Every operation is atomic; changes are
 * durable at the next {@link #commit()} (fsync) or within the commit interval (docs/volume.md).
 * Thread-safe: operations run one at a time in the environment's session; reads of inodes and folder
 * entries it has seen are answered from memory, without waiting for it ({@link RecordCache}).
 */
public final class VolumeState implements AutoCloseable {
    /** Longest name a folder entry may have, as on Linux filesystems. */
    public static final int NAME_MAX = 255;
    private static final int S_ISGID = 02000;
    /**
     * Room kept on the state's disk for its commits: a program that fills the disk with file data gets
     * ENOSPC, and the creations, removals and renames it made before are still saved.
     */
    static final long DISK_RESERVE_BYTES = 8L << 20;
    /** Schema 2 adds the sync index of a shared volume; a state without one stays at 1 (docs/volume.md). */
    private static final int SCHEMA = 1;
    private static final int SCHEMA_SYNC = 2;
    private static final byte[] SCHEMA_KEY = ascii("schema");
    private static final byte[] NEXT_INO = ascii("nextIno");
    private static final byte[] NEXT_SEQ = ascii("nextSeq");
    private static final byte[] NEXT_OVERLAY = ascii("nextOverlay");

    private final LmdbEnvironment lmdb;
    private final LmdbSession session;
    private final Clock clock;
    private final LmdbTable meta;
    private final LmdbTable inodes;
    private final LmdbTable dirents;
    private final LmdbTable orphans;
    private final LmdbTable versions;
    private final LmdbTable history;
    private final LmdbTable seals;
    private final LmdbTable staged;
    private final SyncIndex sync;
    private final PeerRecords peerRecords;
    /** Overlay numbers reserved at a time ({@link #nextOverlay}). */
    static final long OVERLAY_BLOCK = 1024;
    /** The next overlay number to hand out and the end of the reserved block; also their lock. */
    private final long[] overlays = new long[2];
    /** Inodes and folder entries as the session sees them, for reads without a round trip to its thread. */
    private final RecordCache cache = new RecordCache();
    /** Counts changes since the state was opened, so a checkpoint can tell whether anything changed. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private VolumeState(LmdbEnvironment lmdb, Clock clock, Duration commitInterval) {
        this.lmdb = lmdb;
        this.clock = clock;
        this.session = LmdbSession.start(lmdb, commitInterval, "strata-volume-state", DISK_RESERVE_BYTES);
        this.meta = lmdb.openTable("meta");
        this.inodes = lmdb.openTable("inodes");
        this.dirents = lmdb.openTable("dirents");
        this.orphans = lmdb.openTable("orphans");
        this.versions = lmdb.openTable("versions");
        this.history = lmdb.openTable("history");
        this.seals = lmdb.openTable("seals");
        this.staged = lmdb.openTable("staged");
        this.peerRecords = new PeerRecords(lmdb);
        this.sync = new SyncIndex(lmdb, meta, new SyncIndex.Tree() {
            @Override
            public Inode inode(LmdbTxn tx, long ino) throws IOException {
                return get(tx, ino);
            }

            @Override
            public byte[] path(LmdbTxn tx, long ino) throws IOException {
                return pathOf(tx, ino);
            }

            @Override
            public List<Entry> entries(LmdbTxn tx, long ino) {
                return entriesOf(tx, ino);
            }
        });
    }

    /**
     * Opens the state in {@code folder}, creating an empty volume (a root folder owned by
     * {@code uid}/{@code gid}) when there is none.
     */
    public static VolumeState open(Path folder, Clock clock, Duration commitInterval, long uid, long gid)
            throws IOException {
        // Exclusive: the volume's owner lock keeps every other process out of its state.
        LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(folder);
        VolumeState s;
        try {
            s = new VolumeState(lmdb, clock, commitInterval);
            s.initialize(uid, gid);
        } catch (IOException | RuntimeException e) {
            lmdb.close();
            throw e;
        }
        return s;
    }

    private void initialize(long uid, long gid) throws IOException {
        call(tx -> {
            byte[] schema = meta.get(tx, SCHEMA_KEY);
            if (schema == null) {
                meta.put(tx, SCHEMA_KEY, Keys.u64(SCHEMA));
                meta.put(tx, NEXT_INO, Keys.u64(Inode.ROOT + 1));
                put(tx, Inode.folder(Inode.ROOT, 0755, uid, gid, now(), 0, new byte[0]));
            } else if (Keys.u64(schema, 0) != SCHEMA && Keys.u64(schema, 0) != SCHEMA_SYNC) {
                throw new CorruptDataException("volume state in " + lmdb.folder() + " has schema " + Keys.u64(schema, 0)
                        + "; this Strata reads " + SCHEMA + " and " + SCHEMA_SYNC);
            }
            sync.load(tx);
            return null;
        });
        session.commit();
    }

    // --- reading ---------------------------------------------------------------------------------

    public Inode inode(long ino) throws IOException {
        Inode cached = cache.inode(ino);
        if (cached != null) {
            session.ensureUsable();
            return cached;
        }
        return read(tx -> {
            Inode n = get(tx, ino);
            cache.read(n);
            return n;
        });
    }

    public Optional<Inode> lookup(long parent, byte[] name) throws IOException {
        Long cached = cache.entry(parent, name);
        if (cached != null) {
            Inode n = cached == RecordCache.ABSENT ? null : cache.inode(cached);
            if (cached == RecordCache.ABSENT || n != null) {
                session.ensureUsable();
                return Optional.ofNullable(n);
            }
        }
        return read(tx -> {
            byte[] child = dirents.get(tx, Keys.entry(parent, name));
            cache.readEntry(parent, name, child == null ? RecordCache.ABSENT : Keys.u64(child, 0));
            if (child == null) {
                return Optional.<Inode>empty();
            }
            Inode n = get(tx, Keys.u64(child, 0));
            cache.read(n);
            return Optional.of(n);
        });
    }

    /** One entry of a folder with the inode it names. */
    public record Child(byte[] name, Inode inode) {
    }

    public List<Child> list(long folder) throws IOException {
        return read(tx -> {
            Inode dir = get(tx, folder);
            if (!dir.isDirectory()) {
                throw new NotDirectoryException("inode " + folder);
            }
            List<long[]> found = new ArrayList<>();
            List<byte[]> names = new ArrayList<>();
            dirents.scan(tx, Keys.u64(folder), null, (k, v) -> {
                names.add(Keys.entryName(k));
                found.add(new long[]{Keys.u64(v, 0)});
                return true;
            });
            List<Child> out = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                out.add(new Child(names.get(i), get(tx, found.get(i)[0])));
            }
            return out;
        });
    }

    /** The inode's path from the volume's root by its most recent names ({@code a/b.txt}); empty for the root. */
    public byte[] path(long ino) throws IOException {
        return read(tx -> pathOf(tx, ino));
    }

    // --- creating and removing names -------------------------------------------------------------

    /** Creates a file, folder, symlink or special file called {@code name} in folder {@code parent}. */
    public Inode create(long parent, byte[] name, NodeType type, int mode, long uid, long gid, long rdev, byte[] target)
            throws IOException {
        checkName(name);
        return call(tx -> {
            Inode dir = folder(tx, parent);
            byte[] key = Keys.entry(parent, name);
            if (dirents.get(tx, key) != null) {
                throw new FileAlreadyExistsException(printable(name));
            }
            Timestamp now = now();
            long ino = next(tx, NEXT_INO, Inode.ROOT + 1);
            long group = gid;
            int bits = mode;
            if ((dir.mode() & S_ISGID) != 0) {
                // A setgid folder gives what is made in it its group, and its subfolders the bit (as Linux does).
                group = dir.gid();
                if (type == NodeType.DIRECTORY) {
                    bits |= S_ISGID;
                }
            }
            Inode n = Inode.of(ino, type, bits, uid, group, rdev, target, now, parent, name);
            put(tx, n);
            putEntry(tx, parent, name, ino);
            if (sync.on()) {
                sync.refresh(tx, childPath(tx, parent, name), n);
            }
            Inode touched = dir.touched(now);
            put(tx, type == NodeType.DIRECTORY ? touched.withLinks(dir.nlink() + 1, now) : touched);
            folderTouched(tx, parent);
            return n;
        });
    }

    /** Adds the name {@code name} in {@code parent} for the existing non-folder {@code ino}. */
    public Inode link(long ino, long parent, byte[] name) throws IOException {
        checkName(name);
        return call(tx -> {
            Inode n = get(tx, ino);
            if (n.isDirectory()) {
                throw new PosixException(PosixError.EPERM, "a folder cannot have a second name");
            }
            if (n.nlink() == 0) {
                throw new NoSuchFileException("inode " + ino + " was removed");
            }
            Inode dir = folder(tx, parent);
            byte[] key = Keys.entry(parent, name);
            if (dirents.get(tx, key) != null) {
                throw new FileAlreadyExistsException(printable(name));
            }
            Timestamp now = now();
            if (sync.on()) {
                sync.linking(tx, n, pathOf(tx, ino));
            }
            putEntry(tx, parent, name, ino);
            Inode linked = n.withLinks(n.nlink() + 1, now).withPlace(parent, name, now);
            put(tx, linked);
            if (sync.on()) {
                sync.refresh(tx, childPath(tx, parent, name), linked);
            }
            put(tx, dir.touched(now));
            folderTouched(tx, parent);
            return linked;
        });
    }

    /**
     * Removes the entry {@code name} of {@code parent} ({@code folder}: rmdir, else unlink). An inode
     * left without names is deleted, or kept as an orphan while {@code isOpen} says it is open.
     * Returns the inode as it was.
     */
    public Inode remove(long parent, byte[] name, boolean folder, LongPredicate isOpen) throws IOException {
        return call(tx -> {
            Inode dir = folder(tx, parent);
            byte[] key = Keys.entry(parent, name);
            byte[] child = dirents.get(tx, key);
            if (child == null) {
                throw new NoSuchFileException(printable(name));
            }
            Inode n = get(tx, Keys.u64(child, 0));
            if (folder && !n.isDirectory()) {
                throw new NotDirectoryException(printable(name));
            }
            if (!folder && n.isDirectory()) {
                throw new PosixException(PosixError.EISDIR, printable(name) + " is a folder");
            }
            if (n.isDirectory() && hasEntries(tx, n.ino())) {
                throw new DirectoryNotEmptyException(printable(name));
            }
            Timestamp now = now();
            if (sync.on()) {
                sync.removed(tx, childPath(tx, parent, name));
            }
            deleteEntry(tx, parent, name);
            Inode touched = dir.touched(now);
            put(tx, n.isDirectory() ? touched.withLinks(dir.nlink() - 1, now) : touched);
            unlinkInode(tx, n, isOpen, now);
            folderTouched(tx, parent);
            return n;
        });
    }

    /**
     * Moves entry {@code name} of {@code parent} to {@code newName} in {@code newParent}, replacing
     * what is there as rename(2) does, in one step. Returns the inode replaced, as it was (null: none).
     */
    public Inode rename(long parent, byte[] name, long newParent, byte[] newName, LongPredicate isOpen)
            throws IOException {
        checkName(newName);
        return call(tx -> {
            Inode from = folder(tx, parent);
            byte[] srcKey = Keys.entry(parent, name);
            byte[] srcChild = dirents.get(tx, srcKey);
            if (srcChild == null) {
                throw new NoSuchFileException(printable(name));
            }
            Inode moving = get(tx, Keys.u64(srcChild, 0));
            Inode to = parent == newParent ? from : folder(tx, newParent);
            byte[] dstKey = Keys.entry(newParent, newName);
            byte[] dstChild = dirents.get(tx, dstKey);
            if (dstChild != null && Keys.u64(dstChild, 0) == moving.ino()) {
                return null; // two names of one inode: rename(2) does nothing
            }
            if (moving.isDirectory() && isSelfOrBelow(tx, newParent, moving.ino())) {
                throw new PosixException(PosixError.EINVAL, "a folder cannot move into itself");
            }
            Timestamp now = now();
            Inode replaced = null;
            if (dstChild != null) {
                replaced = get(tx, Keys.u64(dstChild, 0));
                if (moving.isDirectory() && !replaced.isDirectory()) {
                    throw new NotDirectoryException(printable(newName));
                }
                if (!moving.isDirectory() && replaced.isDirectory()) {
                    throw new PosixException(PosixError.EISDIR, printable(newName) + " is a folder");
                }
                if (replaced.isDirectory() && hasEntries(tx, replaced.ino())) {
                    throw new DirectoryNotEmptyException(printable(newName));
                }
                if (replaced.isDirectory()) {
                    to = to.withLinks(to.nlink() - 1, now);
                }
                unlinkInode(tx, replaced, isOpen, now);
            }
            byte[] oldPath = moving.type() == NodeType.FILE ? pathOf(tx, moving.ino()) : null;
            byte[] syncFrom = sync.on() ? childPath(tx, parent, name) : null;
            byte[] syncTo = sync.on() ? childPath(tx, newParent, newName) : null;
            deleteEntry(tx, parent, name);
            putEntry(tx, newParent, newName, moving.ino());
            put(tx, moving.withPlace(newParent, newName, now));
            if (syncFrom != null) {
                sync.moved(tx, syncFrom, syncTo, moving);
            }
            if (oldPath != null) {
                carryHistory(tx, moving, oldPath, pathOf(tx, moving.ino()), now);
            }
            if (parent == newParent) {
                put(tx, to.touched(now));
            } else {
                Inode src = get(tx, parent).touched(now);
                Inode dst = to.touched(now);
                if (moving.isDirectory()) {
                    src = src.withLinks(src.nlink() - 1, now);
                    dst = dst.withLinks(dst.nlink() + 1, now);
                }
                put(tx, src);
                put(tx, dst);
            }
            folderTouched(tx, parent);
            if (newParent != parent) {
                folderTouched(tx, newParent);
            }
            return replaced;
        });
    }

    /** A version saved this recently under a path with no other version was a temporary file's. */
    private static final long JUST_SAVED_NANOS = 60_000_000_000L;

    /**
     * Keeps one history per path when a file is renamed (editors save by writing a temporary file and
     * renaming it over the old one): the new path's history ends with the content the file has. A
     * temporary file's only version, saved moments ago, moves to the new path; otherwise the content
     * is added to the new path's history, unless its last version already holds it.
     */
    private void carryHistory(LmdbTxn tx, Inode file, byte[] oldPath, byte[] newPath, Timestamp now)
            throws IOException {
        List<VersionRecord> old = versionsIn(tx, oldPath);
        List<VersionRecord> there = versionsIn(tx, newPath);
        if (!there.isEmpty() && there.get(there.size() - 1).content().equals(file.content())) {
            return;
        }
        VersionRecord last = old.isEmpty() ? null : old.get(old.size() - 1);
        long nowNanos = now.seconds() * 1_000_000_000L + now.nanos();
        if (last != null && old.size() == 1 && last.content().equals(file.content())
                && nowNanos - last.savedNanos() < JUST_SAVED_NANOS) {
            versions.delete(tx, last.key());
            dropFromHistoryIfEmpty(tx, oldPath);
            addVersion(tx, new VersionRecord(newPath, last.saved(), last.seq(), last.ino(), last.content(), last.mtime(),
                    last.mode()));
            return;
        }
        if (file.size() == 0 && old.isEmpty()) {
            return; // an empty file that never had a version: nothing to keep
        }
        addVersion(tx, new VersionRecord(newPath, now, next(tx, NEXT_SEQ, 1), file.ino(), file.content(), file.mtime(),
                file.mode()));
    }

    private List<VersionRecord> versionsIn(LmdbTxn tx, byte[] path) throws IOException {
        List<byte[]> values = new ArrayList<>();
        versions.scan(tx, Keys.versionsOf(path), null, (k, v) -> values.add(v));
        List<VersionRecord> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(VersionRecord.decode(v));
        }
        return out;
    }

    /** Changes one inode's record (chmod, chown, times, xattrs, size) in one step; returns the new record. */
    public Inode update(long ino, UnaryOperator<Inode> change) throws IOException {
        return call(tx -> {
            Inode changed = change.apply(get(tx, ino));
            if (changed.ino() != ino) {
                throw new IllegalArgumentException("an update may not change the inode number");
            }
            put(tx, changed);
            if (sync.on()) {
                sync.inodeChanged(tx, changed);
            }
            return changed;
        });
    }

    /** Deletes an orphan (an inode without names) once its last open handle closed. */
    public void dropOrphan(long ino) throws IOException {
        call(tx -> {
            if (orphans.delete(tx, Keys.u64(ino))) {
                deleteInode(tx, ino);
            }
            return null;
        });
    }

    /** Inodes without names left by a crash while they were open; their overlays may be deleted after. */
    public List<Inode> dropAllOrphans() throws IOException {
        return call(tx -> {
            List<byte[]> keys = new ArrayList<>();
            orphans.scan(tx, new byte[0], null, (k, v) -> keys.add(k));
            List<Inode> dropped = new ArrayList<>();
            for (byte[] k : keys) {
                byte[] rec = inodes.get(tx, k);
                if (rec != null) {
                    dropped.add(InodeCodec.decode(rec, Keys.u64(k, 0)));
                    deleteInode(tx, Keys.u64(k, 0));
                }
                orphans.delete(tx, k);
            }
            return dropped;
        });
    }

    // --- versions and seals ----------------------------------------------------------------------

    /** A new number from the volume-wide sequence (versions, seals). */
    public long nextSeq() throws IOException {
        return call(tx -> next(tx, NEXT_SEQ, 1));
    }

    /**
     * A new overlay file number. Numbers are reserved {@link #OVERLAY_BLOCK} at a time, so that a
     * file's first write costs no step of the state: a block is reserved in a step of its own before
     * any of its numbers is handed out, so every commit that saves a record naming one of them saves
     * the reservation too, and the numbers of a block a crash cut short are never used again.
     */
    public long nextOverlay() throws IOException {
        synchronized (overlays) {
            if (overlays[0] == overlays[1]) {
                long first = call(tx -> {
                    long n = next(tx, NEXT_OVERLAY, 1);
                    meta.put(tx, NEXT_OVERLAY, Keys.u64(n + OVERLAY_BLOCK));
                    return n;
                });
                overlays[0] = first;
                overlays[1] = first + OVERLAY_BLOCK;
            }
            return overlays[0]++;
        }
    }

    /**
     * Records a sealed version in one step: the inode takes the new content (last modified at
     * {@code modified}), the version is listed in the history, and the seal, made of {@code staging},
     * {@code size} and the written bytes {@code inline} when they are in no overlay file (what the
     * content was computed from), is kept until its chunks are durable.
     * The inode's other metadata is taken as it is now, inside the step: a chmod, a rename or an
     * unlink that came while the content was being stored stays, and the version takes the file's
     * path and mode then, a new sequence number and {@code saved} as its time. Returns the version.
     */
    public VersionRecord recordSeal(long ino, FileContent content, Timestamp modified, Timestamp saved,
                                    Staging staging, long size, byte[] inline) throws IOException {
        return call(tx -> {
            Inode sealed = get(tx, ino).sealed(content, modified);
            long seq = next(tx, NEXT_SEQ, 1);
            VersionRecord version = new VersionRecord(pathOf(tx, ino), saved, seq, ino, content, modified,
                    sealed.mode());
            SealRecord seal = new SealRecord(seq, ino, staging.overlay(), staging.base(), staging.baseValid(),
                    staging.extents(), size, content, version.key(), inline);
            put(tx, sealed);
            if (sync.on()) {
                sync.inodeChanged(tx, sealed);
            }
            addVersion(tx, version);
            seals.put(tx, Keys.u64(seal.seq()), seal.encode());
            return version;
        });
    }

    /** Lists a version in the history (rollback, import). */
    public void addVersion(VersionRecord version) throws IOException {
        call(tx -> {
            addVersion(tx, version);
            return null;
        });
    }

    private void addVersion(LmdbTxn tx, VersionRecord version) {
        versions.put(tx, version.key(), version.encode());
        byte[] path = version.path();
        int slash = path.length;
        // Every folder on the path lists its child, so the versions tree can be browsed folder by folder.
        while (true) {
            int prev = lastSlash(path, slash);
            byte[] folderPath = Arrays.copyOf(path, Math.max(prev, 0));
            byte[] child = Arrays.copyOfRange(path, prev + 1, slash);
            byte[] key = Keys.historyChild(folderPath, child);
            if (history.get(tx, key) != null && slash != path.length) {
                break; // this folder and those above already list the path
            }
            history.put(tx, key, new byte[0]);
            if (prev < 0) {
                break;
            }
            slash = prev;
        }
    }

    /** The versions saved under {@code path}, oldest first. */
    public List<VersionRecord> versions(byte[] path) throws IOException {
        return read(tx -> versionsIn(tx, path));
    }

    /** The names directly under {@code folderPath} in the versions tree (files with versions, folders above them). */
    public List<byte[]> historyChildren(byte[] folderPath) throws IOException {
        return session.read(tx -> {
            List<byte[]> out = new ArrayList<>();
            byte[] prefix = Keys.historyChildrenOf(folderPath);
            history.scan(tx, prefix, null, (k, v) -> out.add(Arrays.copyOfRange(k, prefix.length, k.length)));
            return out;
        });
    }

    /** Every version of the volume in path order (checkpoints, retention). */
    public List<VersionRecord> allVersions() throws IOException {
        return read(tx -> {
            List<byte[]> values = new ArrayList<>();
            versions.scan(tx, new byte[0], null, (k, v) -> values.add(v));
            List<VersionRecord> out = new ArrayList<>(values.size());
            for (byte[] v : values) {
                out.add(VersionRecord.decode(v));
            }
            return out;
        });
    }

    /** Removes versions thinned out by retention; paths left without versions leave the versions tree. */
    public void removeVersions(List<VersionRecord> gone) throws IOException {
        call(tx -> {
            for (VersionRecord v : gone) {
                versions.delete(tx, v.key());
            }
            for (VersionRecord v : gone) {
                dropFromHistoryIfEmpty(tx, v.path());
            }
            return null;
        });
    }

    private void dropFromHistoryIfEmpty(LmdbTxn tx, byte[] path) {
        byte[] p = path;
        while (p.length > 0) {
            boolean[] any = {false};
            versions.scan(tx, Keys.versionsOf(p), null, (k, v) -> {
                any[0] = true;
                return false;
            });
            history.scan(tx, Keys.historyChildrenOf(p), null, (k, v) -> {
                any[0] = true;
                return false;
            });
            if (any[0]) {
                return;
            }
            int slash = lastSlash(p, p.length);
            byte[] folder = Arrays.copyOf(p, Math.max(slash, 0));
            history.delete(tx, Keys.historyChild(folder, Arrays.copyOfRange(p, slash + 1, p.length)));
            p = folder;
        }
    }

    /**
     * Fills an empty state from a checkpoint in one step: {@code inodes} (the root among them),
     * {@code entries} (parent, name, child) and {@code saved} versions; the counters move past them.
     */
    public void load(List<Inode> loaded, List<Entry> entries, List<VersionRecord> saved) throws IOException {
        call(tx -> {
            long maxIno = Inode.ROOT;
            long maxSeq = 0;
            for (Inode n : loaded) {
                put(tx, n);
                maxIno = Math.max(maxIno, n.ino());
            }
            for (Entry e : entries) {
                putEntry(tx, e.parent(), e.name(), e.child());
            }
            for (VersionRecord v : saved) {
                addVersion(tx, v);
                maxSeq = Math.max(maxSeq, v.seq());
            }
            meta.put(tx, NEXT_INO, Keys.u64(maxIno + 1));
            meta.put(tx, NEXT_SEQ, Keys.u64(maxSeq + 1));
            return null;
        });
        session.commit();
    }

    /** One folder entry for {@link #load}. */
    public record Entry(long parent, byte[] name, long child) {
    }

    /** Whether the state holds nothing but an empty root (a new state, to be filled from a checkpoint). */
    public boolean isEmpty() throws IOException {
        return session.read(tx -> inodes.count(tx) == 1 && versions.count(tx) == 0);
    }

    /**
     * Points the version of seal {@code s} (and its inode, if it still has that content) at the
     * content recovered for it, when the recovered bytes differ from what was sealed.
     */
    public void replaceSealed(SealRecord s, dev.strata.core.tree.FileContent recovered) throws IOException {
        call(tx -> {
            byte[] key = s.versionKey();
            byte[] v = versions.get(tx, key);
            if (v != null) {
                VersionRecord old = VersionRecord.decode(v);
                versions.put(tx, key, new VersionRecord(old.path(), old.saved(), old.seq(), old.ino(), recovered,
                        old.mtime(), old.mode()).encode());
            }
            byte[] rec = inodes.get(tx, Keys.u64(s.ino()));
            if (rec != null) {
                Inode n = InodeCodec.decode(rec, s.ino());
                if (s.sealed().equals(n.content()) && n.staging() == null) {
                    Inode fixed = n.sealed(recovered, n.mtime());
                    put(tx, fixed);
                    if (sync.on()) {
                        sync.inodeChanged(tx, fixed);
                    }
                }
            }
            return null;
        });
    }

    /** Files whose changes a crash interrupted before they became a version. */
    public List<Inode> stagedInodes() throws IOException {
        return read(tx -> {
            List<Long> inos = new ArrayList<>();
            staged.scan(tx, new byte[0], null, (k, v) -> inos.add(Keys.u64(k, 0)));
            List<Inode> out = new ArrayList<>(inos.size());
            for (long ino : inos) {
                out.add(get(tx, ino));
            }
            return out;
        });
    }

    /** Seals not yet durable, oldest first. */
    public List<SealRecord> seals() throws IOException {
        return read(tx -> {
            List<byte[]> values = new ArrayList<>();
            seals.scan(tx, new byte[0], null, (k, v) -> values.add(v));
            List<SealRecord> out = new ArrayList<>(values.size());
            for (byte[] v : values) {
                out.add(SealRecord.decode(v));
            }
            return out;
        });
    }

    /** Forgets seals whose chunks are now durable. */
    public void sealsDurable(List<SealRecord> done) throws IOException {
        call(tx -> {
            for (SealRecord s : done) {
                seals.delete(tx, Keys.u64(s.seq()));
            }
            return null;
        });
    }

    /** How many inodes the volume has (statfs). */
    public long fileCount() throws IOException {
        return session.read(tx -> inodes.count(tx));
    }

    /** How many changes this process made so far (compare two readings to see whether anything changed). */
    public long generation() {
        return generation.get();
    }

    /** Every inode and folder entry, read at one moment (checkpoints). */
    public record Capture(java.util.Map<Long, Inode> inodes, java.util.Map<Long, List<Child>> children) {
    }

    public Capture capture() throws IOException {
        return read(tx -> {
            java.util.Map<Long, Inode> all = new java.util.HashMap<>();
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            inodes.scan(tx, new byte[0], null, (k, v) -> keys.add(k) && values.add(v));
            for (int i = 0; i < keys.size(); i++) {
                long ino = Keys.u64(keys.get(i), 0);
                all.put(ino, InodeCodec.decode(values.get(i), ino));
            }
            java.util.Map<Long, List<Child>> children = new java.util.HashMap<>();
            dirents.scan(tx, new byte[0], null, (k, v) -> {
                long parent = Keys.u64(k, 0);
                Inode child = all.get(Keys.u64(v, 0));
                if (child != null) {
                    children.computeIfAbsent(parent, p -> new ArrayList<>()).add(new Child(Keys.entryName(k), child));
                }
                return true;
            });
            return new Capture(all, children);
        });
    }

    // --- the sync index of a shared volume (docs/sync.md) ------------------------------------------

    /**
     * Starts keeping the sync index as device {@code device} (its short id): every path the volume
     * has gets a record now, and every later change one in the same step. The state's schema becomes
     * 2, which earlier Strata do not open (they would change the volume without records). Returns
     * false if the index was already kept, for this device.
     */
    public boolean enableSync(long device) throws IOException {
        boolean started = call(tx -> {
            boolean b = sync.enable(tx, device);
            if (b) {
                meta.put(tx, SCHEMA_KEY, Keys.u64(SCHEMA_SYNC));
            }
            return b;
        });
        session.commit();
        return started;
    }

    /** What {@link #syncApply} did. */
    public enum Applied {
        /** The path holds what the record says, and the index has the record. */
        APPLIED,
        /** Nothing changed: the path's file is open here; try again later. */
        OPEN,
        /**
         * A tombstone or a file came for a folder that still holds names: the folder stays (edit beats
         * delete), and its record, newer than the one that came, goes back to the peers.
         */
        KEPT
    }

    /**
     * Applies a peer's record in one step (docs/sync.md, "Applying records"): the path is made to hold
     * what {@code record} says — made, linked into its hard-link group, given its metadata and content
     * (a new version in the path's history), or removed — unless {@code keepLocal}; the index takes
     * {@code record} as it is, or, with {@code bumpHere}, as this device's change (its counter set to a
     * new sequence number: the outcome of a conflict decided here); {@code loser}, the content a
     * conflict did not keep, is listed in the path's history and the conflict noted; and the resume
     * point of {@code peer} moves to {@code peerSeq}. The chunks of the record's content must be held.
     * A file {@code files} calls busy is left alone ({@link Applied#OPEN}); one open only for reading is
     * changed, and the caller makes its open handles follow ({@code VolumeData.fromPeer}).
     */
    public Applied syncApply(SyncRecord record, boolean keepLocal, boolean bumpHere, SyncRecord loser, byte[] peer,
                             long peerSeq, OpenFiles files) throws IOException {
        if (!sync.on()) {
            throw new IllegalStateException("the volume keeps no sync index");
        }
        return call(tx -> {
            SyncRecord old = sync.record(tx, record.path());
            Timestamp now = now();
            SyncRecord target = record;
            boolean bump = bumpHere;
            Applied result = Applied.APPLIED;
            if (!keepLocal) {
                SyncApplier.Outcome o = new SyncApplier(this, tx, now).apply(record, files);
                if (o == SyncApplier.Outcome.OPEN) {
                    return Applied.OPEN;
                }
                if (o == SyncApplier.Outcome.KEPT) {
                    // The folder stays: its own record, newer than both.
                    Inode folder = applierLookup(tx, record.path());
                    target = SyncRecord.of(record.path(), folder, null, 0, folder.mtime(),
                            0, record.vector().merge(old == null ? VersionVector.EMPTY : old.vector()), 0);
                    bump = true;
                    result = Applied.KEPT;
                }
            }
            long seq = sync.nextSeq(tx);
            SyncRecord stored = bump ? target.madeBy(sync.device(), target.vector().bump(sync.device(), seq), seq)
                    : target.withVersion(target.vector(), seq);
            sync.store(tx, stored, old);
            if (loser != null) {
                sync.noteConflict(tx, loser, stored, now);
            }
            // The contents conflicts did not keep at this path, here or on the way: each a version of it.
            if (!stored.copies().isEmpty()) {
                Inode at = applierLookup(tx, record.path());
                List<VersionRecord> kept = versionsIn(tx, record.path());
                for (SyncRecord.ConflictCopy c : stored.copies()) {
                    boolean there = kept.stream().anyMatch(v -> v.content().equals(c.content()));
                    if (!there && c.size() > 0) {
                        VersionRecord v = new VersionRecord(record.path(), now, next(tx, NEXT_SEQ, 1),
                                at == null ? 0 : at.ino(), c.content(), c.mtime(), c.mode());
                        addVersion(tx, v);
                        kept.add(v);
                    }
                }
            }
            if (peer != null) {
                sync.peerSequence(tx, peer, Math.max(sync.peerSequence(tx, peer), peerSeq));
            }
            return result;
        });
    }

    /**
     * Applies a peer's rename of a file in one step, as rename(2): {@code gone} (the tombstone at the
     * old path) and {@code moved} (the record at the new path, with the content the file has here). The
     * file's inode takes the new name — no content is stored or copied, and handles open on it follow —
     * gets {@code moved}'s metadata, and carries its history as a local rename does; both records go into
     * the index as they came, and the resume point of {@code peer} moves to {@code peerSeq}. Null, with
     * nothing done, when what is here is not that file under its old name with nothing at the new one
     * (a hard-linked file, another content, a name taken): the records are then applied one by one.
     */
    public Applied syncApplyRename(SyncRecord gone, SyncRecord moved, byte[] peer, long peerSeq, OpenFiles files)
            throws IOException {
        if (!sync.on()) {
            throw new IllegalStateException("the volume keeps no sync index");
        }
        return call(tx -> {
            Timestamp now = now();
            SyncApplier.Outcome o = new SyncApplier(this, tx, now).rename(gone, moved, files);
            if (o == null) {
                return null;
            }
            if (o == SyncApplier.Outcome.OPEN) {
                return Applied.OPEN;
            }
            SyncRecord oldThere = sync.record(tx, gone.path());
            sync.store(tx, gone.withVersion(gone.vector(), sync.nextSeq(tx)), oldThere);
            SyncRecord newThere = sync.record(tx, moved.path());
            sync.store(tx, moved.withVersion(moved.vector(), sync.nextSeq(tx)), newThere);
            if (peer != null) {
                sync.peerSequence(tx, peer, Math.max(sync.peerSequence(tx, peer), peerSeq));
            }
            return Applied.APPLIED;
        });
    }

    /** Moves the resume point of {@code peer} without applying anything (records it did not need). */
    public void syncPeerSequence(byte[] peer, long peerSeq) throws IOException {
        call(tx -> {
            sync.peerSequence(tx, peer, Math.max(sync.peerSequence(tx, peer), peerSeq));
            return null;
        });
    }

    /** The conflicts this device decided, oldest first. */
    public List<SyncConflict> syncConflicts() throws IOException {
        return read(sync::conflicts);
    }

    // --- for SyncApplier, inside a step ---

    Inode applierLookup(LmdbTxn tx, byte[] path) throws IOException {
        long at = Inode.ROOT;
        int from = 0;
        while (from < path.length) {
            int slash = from;
            while (slash < path.length && path[slash] != '/') {
                slash++;
            }
            byte[] child = dirents.get(tx, Keys.entry(at, Arrays.copyOfRange(path, from, slash)));
            if (child == null) {
                return null;
            }
            at = Keys.u64(child, 0);
            from = slash + 1;
        }
        return get(tx, at);
    }

    Inode applierGet(LmdbTxn tx, long ino) throws IOException {
        return get(tx, ino);
    }

    void applierPut(LmdbTxn tx, Inode n) {
        put(tx, n);
    }

    void applierPutEntry(LmdbTxn tx, long parent, byte[] name, long child) {
        putEntry(tx, parent, name, child);
    }

    long applierEntry(LmdbTxn tx, long parent, byte[] name) {
        byte[] child = dirents.get(tx, Keys.entry(parent, name));
        return child == null ? 0 : Keys.u64(child, 0);
    }

    void applierDeleteEntry(LmdbTxn tx, long parent, byte[] name) {
        deleteEntry(tx, parent, name);
    }

    boolean applierHasEntries(LmdbTxn tx, long folder) {
        return hasEntries(tx, folder);
    }

    void applierUnlink(LmdbTxn tx, Inode n, LongPredicate isOpen, Timestamp now) {
        unlinkInode(tx, n, isOpen, now);
    }

    long applierNextIno(LmdbTxn tx) {
        return next(tx, NEXT_INO, Inode.ROOT + 1);
    }

    void applierVersion(LmdbTxn tx, byte[] path, Timestamp now, long ino, FileContent content, Timestamp mtime, int mode) {
        addVersion(tx, new VersionRecord(path, now, next(tx, NEXT_SEQ, 1), ino, content, mtime, mode));
    }

    void applierCarryHistory(LmdbTxn tx, Inode file, byte[] oldPath, byte[] newPath, Timestamp now) throws IOException {
        carryHistory(tx, file, oldPath, newPath, now);
    }

    SyncIndex applierIndex() {
        return sync;
    }

    /** The short id of the device the sync index is kept as; 0 when the volume keeps none. */
    public long syncDevice() {
        return sync.device();
    }

    /** The record of {@code path} in the sync index, or null. */
    public SyncRecord syncRecord(byte[] path) throws IOException {
        return read(tx -> sync.record(tx, path));
    }

    /** Up to {@code max} records indexed after sequence number {@code after}, oldest first. */
    public List<SyncRecord> syncRecordsSince(long after, int max) throws IOException {
        return read(tx -> sync.since(tx, after, max));
    }

    /** The sequence number of the newest record in the sync index (0: none). */
    public long syncSequence() throws IOException {
        return read(sync::sequence);
    }

    /** The last sequence number of peer {@code peer}'s records applied here (0: none). */
    public long syncPeerSequence(byte[] peer) throws IOException {
        return read(tx -> sync.peerSequence(tx, peer));
    }

    // --- what each peer holds (docs/sync.md, "What a peer has") ---

    /**
     * The sequence number of {@code peer} (its device ID) through which every record it sent is kept
     * here, from its sequence 0 on, so that {@link #syncPeerFolder} shows all it held then; -1 when its
     * records are not kept (a state written before they were).
     */
    public long syncPeerViewFilled(byte[] peer) throws IOException {
        return read(tx -> peerRecords.filled(tx, peer));
    }

    /** Every record {@code peer} sent through its sequence {@code seq} is kept (after {@link #syncPeerViewRestart}). */
    public void syncPeerViewFilled(byte[] peer, long seq) throws IOException {
        call(tx -> {
            peerRecords.filled(tx, peer, seq);
            return null;
        });
    }

    /** Drops what is kept of peer {@code peer} (short id {@code peerShort}): its records are asked for from 0. */
    public void syncPeerViewRestart(byte[] peer, long peerShort) throws IOException {
        call(tx -> {
            peerRecords.restart(tx, peer, peerShort);
            return null;
        });
    }

    /** Takes {@code records}, as peer {@code peerShort} sent them, as what it holds at their paths. */
    public void syncPeerRecords(long peerShort, List<SyncRecord> records) throws IOException {
        call(tx -> {
            for (SyncRecord r : records) {
                peerRecords.take(tx, peerShort, r);
            }
            return null;
        });
    }

    /** What peer {@code peerShort} holds at {@code path} as its records last said, or null. */
    public SyncRecord syncPeerRecord(long peerShort, byte[] path) throws IOException {
        return read(tx -> peerRecords.get(tx, peerShort, path));
    }

    /** What peer {@code peerShort} holds directly in folder {@code folder} ({@code ""}: the root), by name. */
    public List<SyncRecord> syncPeerFolder(long peerShort, byte[] folder) throws IOException {
        return read(tx -> peerRecords.children(tx, peerShort, folder));
    }

    /** Makes every change so far durable. */
    public void commit() throws IOException {
        session.commit();
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
        } finally {
            lmdb.close();
        }
    }

    // --- inside a transaction --------------------------------------------------------------------

    private Inode get(LmdbTxn tx, long ino) throws IOException {
        byte[] rec = inodes.get(tx, Keys.u64(ino));
        if (rec == null) {
            throw new NoSuchFileException("inode " + ino);
        }
        return InodeCodec.decode(rec, ino);
    }

    private void put(LmdbTxn tx, Inode n) {
        byte[] key = Keys.u64(n.ino());
        inodes.put(tx, key, InodeCodec.encode(n));
        if (n.staging() != null) {
            staged.put(tx, key, new byte[0]);
        } else {
            staged.delete(tx, key);
        }
        cache.wrote(n);
    }

    private void deleteInode(LmdbTxn tx, long ino) {
        byte[] key = Keys.u64(ino);
        inodes.delete(tx, key);
        staged.delete(tx, key);
        cache.deleted(ino);
        if (sync.on()) {
            sync.inodeGone(tx, ino);
        }
    }

    private void putEntry(LmdbTxn tx, long parent, byte[] name, long child) {
        dirents.put(tx, Keys.entry(parent, name), Keys.u64(child));
        cache.wroteEntry(parent, name, child);
    }

    private void deleteEntry(LmdbTxn tx, long parent, byte[] name) {
        dirents.delete(tx, Keys.entry(parent, name));
        cache.deletedEntry(parent, name);
    }

    /**
     * A name was made or removed in {@code folder}: its time moved, and so does its record (a folder's
     * time travels with it; concurrent changes of a folder's record are no conflict, docs/sync.md).
     */
    private void folderTouched(LmdbTxn tx, long folder) throws IOException {
        if (sync.on() && folder != Inode.ROOT) {
            sync.refresh(tx, pathOf(tx, folder), get(tx, folder));
        }
    }

    /** The path of entry {@code name} of folder {@code parent}. */
    private byte[] childPath(LmdbTxn tx, long parent, byte[] name) throws IOException {
        return SyncIndex.join(pathOf(tx, parent), name);
    }

    private List<Entry> entriesOf(LmdbTxn tx, long folder) {
        List<Entry> out = new ArrayList<>();
        dirents.scan(tx, Keys.u64(folder), null, (k, v) -> out.add(new Entry(folder, Keys.entryName(k), Keys.u64(v, 0))));
        return out;
    }

    private Inode folder(LmdbTxn tx, long ino) throws IOException {
        Inode dir = get(tx, ino);
        if (!dir.isDirectory()) {
            throw new NotDirectoryException("inode " + ino);
        }
        if (dir.nlink() == 0) {
            throw new NoSuchFileException("folder was removed");
        }
        return dir;
    }

    private boolean hasEntries(LmdbTxn tx, long folder) {
        boolean[] any = {false};
        dirents.scan(tx, Keys.u64(folder), null, (k, v) -> {
            any[0] = true;
            return false;
        });
        return any[0];
    }

    private void unlinkInode(LmdbTxn tx, Inode n, LongPredicate isOpen, Timestamp now) {
        long left = n.isDirectory() ? 0 : n.nlink() - 1;
        if (left > 0) {
            put(tx, n.withLinks(left, now));
        } else if (isOpen.test(n.ino())) {
            put(tx, n.withLinks(0, now));
            orphans.put(tx, Keys.u64(n.ino()), new byte[0]);
        } else {
            deleteInode(tx, n.ino());
        }
    }

    private boolean isSelfOrBelow(LmdbTxn tx, long folder, long ancestor) throws IOException {
        long at = folder;
        while (at != 0) {
            if (at == ancestor) {
                return true;
            }
            at = get(tx, at).parent();
        }
        return false;
    }

    private byte[] pathOf(LmdbTxn tx, long ino) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        long at = ino;
        int guard = 0;
        while (at != Inode.ROOT) {
            Inode n = get(tx, at);
            parts.add(n.name());
            at = n.parent();
            if (at == 0 || ++guard > 10_000) {
                throw new CorruptDataException("volume state: inode " + ino + " is not below the root");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = parts.size() - 1; i >= 0; i--) {
            out.writeBytes(parts.get(i));
            if (i > 0) {
                out.write('/');
            }
        }
        return out.toByteArray();
    }

    private long next(LmdbTxn tx, byte[] key, long first) {
        byte[] v = meta.get(tx, key);
        long n = v == null ? first : Keys.u64(v, 0);
        meta.put(tx, key, Keys.u64(n + 1));
        return n;
    }

    private Timestamp now() {
        return Timestamp.of(clock.instant());
    }

    private static void checkName(byte[] name) throws IOException {
        if (name.length > NAME_MAX) {
            throw new PosixException(PosixError.ENAMETOOLONG, "a name is at most " + NAME_MAX + " bytes");
        }
        if (name.length == 0 || Arrays.equals(name, new byte[]{'.'}) || Arrays.equals(name, new byte[]{'.', '.'})) {
            throw new PosixException(PosixError.EINVAL, "not a name: '" + printable(name) + "'");
        }
        for (byte b : name) {
            if (b == 0 || b == '/') {
                throw new PosixException(PosixError.EINVAL, "a name may not hold NUL or /");
            }
        }
    }

    private static int lastSlash(byte[] path, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    static String printable(byte[] name) {
        return dev.strata.core.name.Printable.of(dev.strata.core.name.NameBytes.decode(name));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    // --- checked exceptions through the session's functional bodies -----------------------------

    private interface Body<R> {
        R run(LmdbTxn tx) throws IOException;
    }

    private interface Action<R> {
        R run() throws IOException;
    }

    /** Runs a read on the session (seeing every step so far); the IOException it throws comes out as it is. */
    private <R> R read(Body<R> body) throws IOException {
        try {
            return session.read(tx -> unchecked(() -> body.run(tx)));
        } catch (Tunnel t) {
            throw t.getCause();
        }
    }

    private <R> R call(Body<R> body) throws IOException {
        generation.incrementAndGet();
        try {
            return session.call(tx -> {
                cache.begin();
                return unchecked(() -> body.run(tx));
            }, cache::committed);
        } catch (Tunnel t) {
            throw t.getCause();
        }
    }

    private static <R> R unchecked(Action<R> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new Tunnel(e);
        }
    }

    /** Carries a checked exception out of a session body. */
    private static final class Tunnel extends UncheckedIOException {
        Tunnel(IOException e) {
            super(e);
        }
    }
}
