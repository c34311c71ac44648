package dev.strata.volume.data;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.state.Extent;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.OpenFiles;
import dev.strata.volume.state.SealRecord;
import dev.strata.volume.state.Staging;
import dev.strata.volume.state.VersionRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The file contents of a volume: open handles, writes into overlays, versions sealed when the last
 * writer closes (or at an fsync of a file held open for writing for long, at most once an interval),
 * made durable a moment later, and recovery after a crash. Versions and truncations that replace
 * content a file had are reported to the volume's burst watch. Thread-safe.
 *
 * <p>Locks: the table of open files (its monitor) is never held while waiting for a file's lock or
 * for a step of the state, since the state's steps ask the table whether a file is open; a file's
 * lock may be held while waiting for the state.
 */
public final class VolumeData implements AutoCloseable {
    private final DataContext ctx;
    private final Flusher flusher;
    private final Sealer sealer;
    private final Consumer<String> log;
    private final BurstWatch burst;
    /** A file open for writing this long gets a version at its next fsync, and again this long after. */
    private final Duration syncVersionEvery;
    private final Map<Long, OpenInode> open = new HashMap<>();
    /**
     * Held shared by every open, alone while a peer's change is applied: no handle can be opened on a
     * record the change is about to replace, so the files it changes under their readers are exactly
     * those it saw open.
     */
    private final ReentrantReadWriteLock fromPeer = new ReentrantReadWriteLock();
    private final DataBytes dataBytes;
    /** How many files left the table of open files (guarded by it); tells an open that a record it read may be old. */
    private long closings;
    /**
     * A test hook: runs in every release of a handle once its own work (sealing) is done, just before it
     * looks whether the file leaves the table of open files; given the file's inode number.
     */
    private volatile LongConsumer releaseWorkDone = ino -> { };

    private VolumeData(DataContext ctx, Duration flushDelay, Duration syncVersionEvery, BurstWatch burst,
                       Consumer<String> log) {
        this.ctx = ctx;
        this.log = log;
        this.burst = burst;
        this.syncVersionEvery = syncVersionEvery;
        this.flusher = new Flusher(ctx, flushDelay, e -> log.accept("making versions durable failed: " + e.getMessage()));
        this.sealer = new Sealer(ctx, flusher);
        this.dataBytes = new DataBytes(ctx.trees());
    }

    /**
     * Opens the data of a volume whose state is {@code state} and whose overlays live in
     * {@code stagingFolder}, recovering from a crash first. The tree store's chunk store must keep
     * pending chunks readable ({@code keepPendingReadable}). A file held open for writing gets a
     * version at an fsync once {@code syncVersionEvery} has passed since it was opened or last got one
     * that way; {@code burst} hears of content replaced.
     */
    public static VolumeData open(VolumeState state, Path stagingFolder, TreeStore trees, Clock clock,
                                  Duration flushDelay, Duration syncVersionEvery, BurstWatch burst,
                                  Consumer<String> log) throws IOException {
        trees.chunks().keepPendingReadable();
        VolumeData data = new VolumeData(new DataContext(state, new Overlays(stagingFolder), trees, clock), flushDelay,
                syncVersionEvery, burst, log);
        new Recovery(data.ctx, data.sealer, data.flusher, log).run();
        return data;
    }

    /** Opens file {@code ino}; {@code write} allows writing and truncating through the handle. */
    public OpenFile open(long ino, boolean write) throws IOException {
        fromPeer.readLock().lock();
        try {
            return openNow(ino, write);
        } finally {
            fromPeer.readLock().unlock();
        }
    }

    private OpenFile openNow(long ino, boolean write) throws IOException {
        // Read before taking the table, which is never held while anything else may wait on it.
        Instant now = write ? ctx.clock().instant() : null;
        while (true) {
            long seenClosings;
            synchronized (open) {
                OpenInode oi = open.get(ino);
                if (oi != null) {
                    return handle(oi, write, now);
                }
                seenClosings = closings;
            }
            // The record is read without holding the table: the state's own steps ask the table
            // whether a file is open (unlink, rename), and would wait for this thread otherwise.
            OpenInode fresh = new OpenInode(ctx, ctx.state().inode(ino));
            synchronized (open) {
                // A file closed meanwhile may have sealed a version after the record was read: read again.
                if (open.get(ino) == null && closings == seenClosings) {
                    open.put(ino, fresh);
                    return handle(fresh, write, now);
                }
            }
            fresh.closeChannel();
        }
    }

    /** A new handle on {@code oi}, opened at {@code now}; the caller holds the table. */
    private Handle handle(OpenInode oi, boolean write, Instant now) {
        oi.handles++;
        if (write && oi.writers++ == 0) {
            oi.writableFrom(now);
        }
        return new Handle(oi, write);
    }

    public boolean isOpen(long ino) {
        synchronized (open) {
            return open.containsKey(ino);
        }
    }

    /** A change a peer made, applied through the state; told which files are open here. */
    @FunctionalInterface
    public interface PeerChange<T> {
        T apply(OpenFiles files) throws IOException;
    }

    /**
     * Runs {@code change}, a step of the state that applies a peer's record, and makes the handles of
     * the files it changed underneath follow it. A file open for writing, or holding unsealed changes,
     * is busy: the change must leave it alone (its writer's version comes first). A file open only for
     * reading may be changed: its open handles then read the new content, as on a local filesystem
     * where another program rewrote the file, instead of holding the change back until the last reader
     * closes (a viewer or {@code tail -f} would hold it back for ever). Opens wait while it runs.
     */
    public <T> T fromPeer(PeerChange<T> change) throws IOException {
        java.util.Set<Long> read = new java.util.HashSet<>();
        fromPeer.writeLock().lock();
        try {
            T result = change.apply(new OpenFiles() {
                @Override
                public boolean isOpen(long ino) {
                    return VolumeData.this.isOpen(ino);
                }

                @Override
                public boolean busy(long ino) {
                    synchronized (open) {
                        OpenInode oi = open.get(ino);
                        if (oi == null) {
                            return false;
                        }
                        // No writer, and no writer's release at work sealing its changes: nothing
                        // unsealed (a version that could not be saved stays staged in the record, which
                        // the change checks itself). A reader's release at work does not count: it seals
                        // nothing then, and would hold the change back a second.
                        if (oi.writers > 0 || oi.writerReleasing > 0) {
                            return true;
                        }
                        read.add(ino);
                        return false;
                    }
                }
            });
            for (long ino : read) {
                follow(ino);
            }
            return result;
        } finally {
            fromPeer.writeLock().unlock();
        }
    }

    /** Gives the open handles of file {@code ino}, open only for reading, its record's content as it is now. */
    private void follow(long ino) throws IOException {
        OpenInode oi = openInode(ino);
        if (oi == null) {
            return;
        }
        Inode record;
        try {
            record = ctx.state().inode(ino);
        } catch (java.nio.file.NoSuchFileException gone) {
            return; // removed: its readers keep what they had, as of an unlinked file
        }
        oi.lock.writeLock().lock();
        try {
            oi.follow(record);
        } finally {
            oi.lock.writeLock().unlock();
        }
    }

    /** Size and modification time of an open file as its handles see them (ahead of the stored record). */
    public Optional<Live> live(long ino) {
        OpenInode oi;
        synchronized (open) {
            oi = open.get(ino);
        }
        return oi == null ? Optional.empty() : Optional.of(new Live(oi.size(), oi.mtime(), oi.dataBytes()));
    }

    /** See {@link #live}; {@code dataBytes}: bytes that are data, not holes. */
    public record Live(long size, Timestamp mtime, long dataBytes) {
    }

    /** Bytes of file {@code n}, as its record describes it, that are data rather than holes (what its blocks count). */
    public long dataBytes(Inode n) throws IOException {
        long data = dataBytes.of(n.content());
        if (n.staging() != null) {
            // Changes a crash left unsealed (recovery seals them at open): an estimate.
            data = dataBytes.of(n.staging().base());
            for (Extent e : n.staging().extents()) {
                data += e.end() - e.start();
            }
        }
        return Math.min(data, n.size());
    }

    /** truncate(2) by path: the change becomes a version at once unless the file is open for writing. */
    public void truncate(long ino, long size) throws IOException {
        try (OpenFile h = open(ino, true)) {
            h.truncate(size);
        }
    }

    /** A change of a file's record that returns the new record. */
    @FunctionalInterface
    public interface RecordChange {
        Inode apply() throws IOException;
    }

    /**
     * utimensat: runs {@code change} (which sets the times in the record) while the file's handles,
     * if it is open, are held still, so that a version being sealed cannot put the old modification
     * time back; their copy of the time then follows the record. Returns the new record.
     */
    public Inode changeTimes(long ino, RecordChange change) throws IOException {
        OpenInode oi = openInode(ino);
        if (oi == null) {
            Inode n = change.apply();
            // A handle opened meanwhile may have read the record from before the change.
            OpenInode opened = openInode(ino);
            if (opened != null) {
                opened.lock.writeLock().lock();
                try {
                    if (!opened.dirty()) {
                        opened.setMtime(n.mtime());
                    }
                } finally {
                    opened.lock.writeLock().unlock();
                }
            }
            return n;
        }
        oi.lock.writeLock().lock();
        try {
            Inode n = change.apply();
            oi.setMtime(n.mtime());
            return n;
        } finally {
            oi.lock.writeLock().unlock();
        }
    }

    private OpenInode openInode(long ino) {
        synchronized (open) {
            return open.get(ino);
        }
    }

    /** Makes every version sealed so far durable (before a checkpoint, at unmount). */
    public void flush() throws IOException {
        flusher.flushNow();
    }

    private void sync(OpenInode oi) throws IOException {
        VersionRecord version = null;
        boolean overwrites = false;
        oi.lock.writeLock().lock();
        try {
            Instant now = ctx.clock().instant();
            // A file held open for writing for long (a database, a log, a virtual disk) would otherwise
            // get no version until it closes, days later perhaps; at most one per interval, whatever
            // the fsync rate.
            if (stage(oi) && oi.syncVersionDue(now, syncVersionEvery)) {
                overwrites = oi.overwritesBase();
                version = sealer.seal(oi);
                oi.syncVersioned(now);
            }
        } finally {
            oi.lock.writeLock().unlock();
        }
        if (version != null && overwrites) {
            burst.overwritten(version.path(), version.saved().toInstant());
        }
        if (hasPendingSeal(oi.ino)) {
            flusher.flushNow();
        }
        ctx.state().commit();
        CrashPoints.reached(CrashPoints.FSYNC);
    }

    /**
     * Makes the unsealed changes of {@code oi} durable where they are (the overlay) and records them in
     * its inode, so that they outlive the process; false if there were none. The caller holds its
     * write lock.
     */
    private boolean stage(OpenInode oi) throws IOException {
        Staging staging = oi.syncOverlay();
        if (staging == null) {
            return false;
        }
        // The overlay's name must survive too, not only its bytes.
        ctx.overlays().syncFolder();
        long size = oi.size();
        Timestamp mtime = oi.mtime();
        ctx.state().update(oi.ino, r -> r.staged(size, staging, mtime));
        return true;
    }

    /**
     * A name was removed: if that was the file's last name and no handle has it open, its unsealed
     * changes (kept staged after a version could not be saved) go with it.
     */
    public void removed(Inode gone) throws IOException {
        if (gone.type() == NodeType.FILE && gone.nlink() <= 1 && gone.staging() != null
                && gone.staging().overlay() != 0 && !isOpen(gone.ino())) {
            ctx.overlays().delete(gone.staging().overlay());
        }
    }

    /** File {@code ino} was cut short, losing content of its last version: an overwrite for the burst watch. */
    private void cut(long ino) {
        try {
            burst.overwritten(ctx.state().path(ino));
        } catch (IOException gone) {
            // Removed meanwhile: its removal is what counts.
        }
    }

    private boolean hasPendingSeal(long ino) throws IOException {
        for (SealRecord s : ctx.state().seals()) {
            if (s.ino() == ino) {
                return true;
            }
        }
        return false;
    }

    /**
     * A handle's release: the last writer's seals the file's changes into a version; the release that
     * finishes last, with no handle open, takes the file out of the table of open files. FUSE sends
     * releases asynchronously, each on a thread of its own, so one may still be sealing when another,
     * started earlier, finishes: the file leaves the table only when no release of it is at work,
     * since an open after that builds the file from its record, which must then hold every change.
     */
    private void release(OpenInode oi, boolean wrote) throws IOException {
        boolean seal;
        synchronized (open) {
            oi.handles--;
            if (wrote && --oi.writers == 0) {
                oi.notWritable();
            }
            seal = oi.writers == 0;
            oi.releasing++;
            if (wrote) {
                oi.writerReleasing++;
            }
        }
        IOException failed = null;
        VersionRecord version = null;
        boolean overwrites = false;
        if (seal) {
            oi.lock.writeLock().lock();
            try {
                overwrites = oi.overwritesBase();
                version = sealer.seal(oi);
            } catch (IOException | RuntimeException e) {
                // The version cannot be saved now (the repository's disk is full, say): its changes stay
                // staged, so the file can close as usual and the next close, or the next open of the
                // volume, saves them.
                failed = e instanceof IOException io ? io : new IOException(e);
                try {
                    stage(oi);
                } catch (IOException | RuntimeException again) {
                    failed.addSuppressed(again);
                }
            } finally {
                oi.lock.writeLock().unlock();
            }
        }
        if (version != null && overwrites) {
            burst.overwritten(version.path(), version.saved().toInstant());
        }
        releaseWorkDone.accept(oi.ino);
        boolean last;
        synchronized (open) {
            oi.releasing--;
            if (wrote) {
                oi.writerReleasing--;
            }
            last = oi.handles == 0 && oi.releasing == 0 && open.get(oi.ino) == oi;
            if (last) {
                open.remove(oi.ino);
                closings++;
            }
        }
        if (last) {
            oi.lock.writeLock().lock();
            try {
                Inode record = ctx.state().inode(oi.ino);
                if (record.nlink() == 0) {
                    long overlay = oi.discard();
                    ctx.state().dropOrphan(oi.ino);
                    if (overlay != 0) {
                        ctx.overlays().delete(overlay);
                    }
                } else {
                    oi.closeChannel();
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                oi.discard();
            } finally {
                oi.lock.writeLock().unlock();
            }
        }
        if (failed != null) {
            if (wrote) {
                throw failed;
            }
            // A reader's close retried a version that a writer's close could not save; it is kept staged.
            log.accept("saving a version of inode " + oi.ino + " failed again: " + failed.getMessage());
        }
    }

    /** For tests: memory the written bytes of open files hold now. */
    long memoryInUse() {
        return ctx.overlays().memoryInUse();
    }

        /** For tests: {@code hook} runs in every release once its sealing is done (see {@link #releaseWorkDone}). */
    void onReleaseWorkDone(LongConsumer hook) {
        this.releaseWorkDone = hook;
    }

    /** Seals what open files changed, makes it durable and stops the flusher. Idempotent. */
    @Override
    public void close() throws IOException {
        java.util.List<OpenInode> still;
        synchronized (open) {
            still = new java.util.ArrayList<>(open.values());
        }
        for (OpenInode oi : still) {
            oi.lock.writeLock().lock();
            try {
                sealer.seal(oi);
            } finally {
                oi.lock.writeLock().unlock();
            }
        }
        flusher.flushNow();
        flusher.close();
        ctx.overlays().deleteSpares();
    }

    /** One open file description. Thread-safe (FUSE may use one handle from several threads). */
    private final class Handle implements OpenFile {
        private final OpenInode oi;
        private final boolean write;
        private volatile boolean closed;

        Handle(OpenInode oi, boolean write) {
            this.oi = oi;
            this.write = write;
        }

        @Override
        public int read(long offset, int length, ReadSink sink) throws IOException {
            ensureOpen();
            return oi.read(offset, length, sink);
        }

        @Override
        public int write(long offset, byte[] src, int srcOffset, int length) throws IOException {
            ensureOpen();
            if (!write) {
                throw new dev.strata.core.view.PosixException(dev.strata.core.view.PosixError.EBADF, "not open for writing");
            }
            return oi.write(offset, src, srcOffset, length, ctx.now());
        }

        @Override
        public void truncate(long size) throws IOException {
            ensureOpen();
            if (oi.truncate(size, ctx.now())) {
                cut(oi.ino);
            }
        }

        @Override
        public void sync() throws IOException {
            ensureOpen();
            VolumeData.this.sync(oi);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                release(oi, write);
            } catch (IOException e) {
                throw new UncheckedIOException("saving a version of inode " + oi.ino + ": " + e.getMessage(), e);
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (closed) {
                throw new ClosedChannelException();
            }
        }
    }
}
