package dev.strata.volume.data;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.SealRecord;
import dev.strata.volume.state.Staging;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The file contents of a volume: open handles, writes into overlays, versions sealed when the last
 * writer closes (or at an fsync of a file written for long), made durable a moment later, and
 * recovery after a crash. Thread-safe.
 */
public final class VolumeData implements AutoCloseable {
    /** An fsync of a file changed longer ago than this seals a version without waiting for close. */
    static final long SEAL_ON_SYNC_AFTER_NANOS = Duration.ofMinutes(5).toNanos();

    private final DataContext ctx;
    private final Flusher flusher;
    private final Sealer sealer;
    private final Consumer<String> log;
    private final Map<Long, OpenInode> open = new HashMap<>();

    private VolumeData(DataContext ctx, Duration flushDelay, Consumer<String> log) {
        this.ctx = ctx;
        this.log = log;
        this.flusher = new Flusher(ctx, flushDelay, e -> log.accept("making versions durable failed: " + e.getMessage()));
        this.sealer = new Sealer(ctx, flusher);
    }

    /**
     * Opens the data of a volume whose state is {@code state} and whose overlays live in
     * {@code stagingFolder}, recovering from a crash first. The tree store's chunk store must keep
     * pending chunks readable ({@code keepPendingReadable}).
     */
    public static VolumeData open(VolumeState state, Path stagingFolder, TreeStore trees, Clock clock,
                                  Duration flushDelay, Consumer<String> log) throws IOException {
        trees.chunks().keepPendingReadable();
        VolumeData data = new VolumeData(new DataContext(state, new Overlays(stagingFolder), trees, clock), flushDelay, log);
        new Recovery(data.ctx, data.sealer, data.flusher, log).run();
        return data;
    }

    /** Opens file {@code ino}; {@code write} allows writing and truncating through the handle. */
    public OpenFile open(long ino, boolean write) throws IOException {
        OpenInode oi;
        synchronized (open) {
            oi = open.get(ino);
            if (oi == null) {
                oi = new OpenInode(ctx, ctx.state().inode(ino));
                open.put(ino, oi);
            }
            oi.handles++;
            if (write) {
                oi.writers++;
            }
        }
        return new Handle(oi, write);
    }

    public boolean isOpen(long ino) {
        synchronized (open) {
            return open.containsKey(ino);
        }
    }

    /** Size and modification time of an open file as its handles see them (ahead of the stored record). */
    public Optional<Live> live(long ino) {
        OpenInode oi;
        synchronized (open) {
            oi = open.get(ino);
        }
        return oi == null ? Optional.empty() : Optional.of(new Live(oi.size(), oi.mtime()));
    }

    /** See {@link #live}. */
    public record Live(long size, Timestamp mtime) {
    }

    /** truncate(2) by path: the change becomes a version at once unless the file is open for writing. */
    public void truncate(long ino, long size) throws IOException {
        try (OpenFile h = open(ino, true)) {
            ((Handle) h).truncate(size);
        }
    }

    /** utimensat on an open file: its handles' copy of the time must agree with the record. */
    public void timesChanged(long ino, Timestamp mtime) {
        OpenInode oi;
        synchronized (open) {
            oi = open.get(ino);
        }
        if (oi != null) {
            oi.setMtime(mtime);
        }
    }

    /** Makes every version sealed so far durable (before a checkpoint, at unmount). */
    public void flush() throws IOException {
        flusher.flushNow();
    }

    private void sync(OpenInode oi) throws IOException {
        oi.lock.writeLock().lock();
        try {
            Staging staging = oi.syncOverlay();
            if (staging != null) {
                // The overlay's name must survive too, not only its bytes.
                ctx.overlays().syncFolder();
                long size = oi.size();
                Timestamp mtime = oi.mtime();
                ctx.state().update(oi.ino, r -> r.staged(size, staging, mtime));
                if (oi.dirtyForNanos() > SEAL_ON_SYNC_AFTER_NANOS) {
                    sealer.seal(oi);
                }
            }
        } finally {
            oi.lock.writeLock().unlock();
        }
        if (hasPendingSeal(oi.ino)) {
            flusher.flushNow();
        }
        ctx.state().commit();
    }

    private boolean hasPendingSeal(long ino) throws IOException {
        for (SealRecord s : ctx.state().seals()) {
            if (s.ino() == ino) {
                return true;
            }
        }
        return false;
    }

    private void release(OpenInode oi, boolean wrote) throws IOException {
        boolean seal;
        synchronized (open) {
            oi.handles--;
            if (wrote) {
                oi.writers--;
            }
            seal = oi.writers == 0;
        }
        if (seal) {
            oi.lock.writeLock().lock();
            try {
                sealer.seal(oi);
            } finally {
                oi.lock.writeLock().unlock();
            }
        }
        boolean last;
        synchronized (open) {
            last = oi.handles == 0 && open.get(oi.ino) == oi;
            if (last) {
                open.remove(oi.ino);
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
            oi.truncate(size, ctx.now());
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
                throw new UncheckedIOException("saving a version of inode " + oi.ino, e);
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (closed) {
                throw new ClosedChannelException();
            }
        }
    }
}
