package dev.strata.volume;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.posix.ProcessIdentity;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.Node;
import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.history.Rollback;
import dev.strata.volume.view.LiveVolume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One volume opened by this process: its local state locked against other processes (filled from
 * the newest checkpoint when it is new), and, while it is open, checkpoints written when it changed
 * and the interval passed, and once more at close. Thread-safe.
 */
public final class VolumeHome implements AutoCloseable {
    private static final long KEEPER_PERIOD_MILLIS = 1000;

    private final VolumeCatalog catalog;
    private final LiveVolume volume;
    private final Checkpointer checkpointer;
    private final Clock clock;
    private final Consumer<String> log;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ScheduledExecutorService keeper;
    private volatile VolumeCatalog.Entry entry;
    private volatile Instant lastCheckpoint;
    private VolumeLease lease;
    private boolean closed;

    private VolumeHome(VolumeCatalog catalog, VolumeCatalog.Entry entry, LiveVolume volume, Clock clock,
                       Consumer<String> log, FileChannel lockFile, FileLock lock, boolean keep) {
        this.catalog = catalog;
        this.entry = entry;
        this.volume = volume;
        this.clock = clock;
        this.log = log;
        this.lockFile = lockFile;
        this.lock = lock;
        this.checkpointer = new Checkpointer(volume, catalog, clock);
        this.lastCheckpoint = clock.instant();
        this.keeper = keep ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-volume-keeper-" + entry.name());
            t.setDaemon(true);
            return t;
        }) : null;
        if (keeper != null) {
            keeper.scheduleWithFixedDelay(this::keep, KEEPER_PERIOD_MILLIS, KEEPER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens volume {@code entry} with its state under {@code stateRoot}. {@code keep}: checkpoint
     * periodically while open (a mount); otherwise only when asked and at close. Bursts of deletions and
     * overwrites made through the volume's tree are reported in {@code log}. {@code commandOptions}: what a
     * command printed in the log needs to reach this volume besides its name ({@code --repo …}), empty
     * when the defaults do.
     */
    public static VolumeHome open(Repository repo, VolumeCatalog catalog, VolumeCatalog.Entry entry, Path stateRoot,
                                  TreeStore trees, Clock clock, Consumer<String> log, boolean keep, String commandOptions)
            throws IOException {
        Path folder = StateFolders.of(stateRoot, entry.record());
        Files.createDirectories(folder);
        FileChannel lockFile = FileChannel.open(folder.resolve("owner.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (IOException e) {
            lockFile.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(lockFile);
            lockFile.close();
            throw new UserFacingException(ExitCode.LOCKED, "volume '" + entry.name() + "' is open in another process"
                    + holder + "; unmount it ('strata umount MOUNTPOINT') or stop that process first");
        }
        try {
            lockFile.truncate(0);
            lockFile.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            java.util.Optional<dev.strata.core.crypto.VolumeKeys> own = entry.record().openKeys(repo.key());
            if (own.isPresent()) {
                // Its data is cut and id'd under its own keys (docs/format.md §2.4).
                trees = new TreeStore(repo.volumeStore(own.get()));
            }
            boolean fresh = !Files.exists(folder.resolve("lmdb"));
            VolumeSettings settings = entry.record().settings();
            // Changes made through the volume's tree count (a rollback's do not: it works below it).
            BurstWatch burst = new BurstWatch(entry.name(), settings.burstChanges(), settings.burstWindow(), clock,
                    commandOptions, log);
            LiveVolume volume = LiveVolume.open(entry.name(), entry.record().volumeId(), folder, trees, clock,
                    LiveVolume.Timing.DEFAULT.withSyncVersionEvery(settings.syncVersionEvery()), ProcessIdentity.uid(),
                    ProcessIdentity.gid(), burst, log);
            try {
                if (fresh || volume.state().isEmpty()) {
                    CheckpointLoader.load(trees, entry.latest().tree(), volume.state());
                }
            } catch (IOException | RuntimeException e) {
                volume.close();
                throw e;
            }
            VolumeHome home = new VolumeHome(catalog, entry, volume, clock, log, lockFile, lock, keep);
            try {
                home.takeLease(repo);
            } catch (IOException | RuntimeException e) {
                home.stopKeeping();
                volume.close();
                throw e;
            }
            return home;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /**
     * Takes the volume's lease (docs/format.md §7.1). A lease left by a process that died means the
     * state may hold changes no checkpoint has: they are checkpointed now, before the lease learns
     * the condemnations made since.
     */
    private synchronized void takeLease(Repository repo) throws IOException {
        VolumeLease l = VolumeLease.take(repo, entry.record());
        lease = l;
        if (l.leftOver()) {
            Set<String> ids = repo.refreshCondemnations();
            Snapshot s = checkpoint();
            l.acknowledge(ids);
            log.accept("volume " + entry.name() + ": the last process holding it ended without closing it;"
                    + " its state is now in checkpoint " + s.shortId());
        }
    }

    /**
     * Looks for new condemnations (at most every {@link VolumeLease#POLL}, unless {@code now}); when
     * there are, everything the volume refers to goes into a checkpoint (if it changed since the last
     * one) before the lease says it knows them, so prune can delete their packs.
     */
    synchronized void learnCondemnations(boolean now) throws IOException {
        if (lease == null || closed) {
            return;
        }
        Optional<Set<String>> unknown = lease.unknownCondemnations(now);
        if (unknown.isPresent()) {
            if (checkpointer.changed()) {
                Snapshot s = checkpoint();
                log.accept("volume " + entry.name() + ": checkpoint " + s.shortId() + " so that a prune can go on");
            }
            CrashPoints.reached(CrashPoints.CONDEMNATION_CHECKPOINTED);
            lease.acknowledge(unknown.get());
        }
    }

    private void stopKeeping() {
        if (keeper != null) {
            keeper.shutdownNow();
        }
    }

    private static String holder(FileChannel lockFile) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            lockFile.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "" : " (process " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    public LiveVolume volume() {
        return volume;
    }

    public String name() {
        return entry.name();
    }

    /**
     * Fills this volume, which must be empty, with a folder saved by a backup ({@code folder} is its
     * node in the backup's tree), and checkpoints it.
     */
    public synchronized Snapshot importFolder(dev.strata.core.tree.Node folder) throws IOException {
        if (!volume.state().isEmpty()) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, "volume '" + name() + "' is not empty; import fills new volumes");
        }
        if (!folder.isDirectory()) {
            throw new UserFacingException(ExitCode.USAGE, "an import needs a folder");
        }
        CheckpointLoader.importFolder(volume.trees(), folder, volume.state());
        return checkpoint();
    }

    /**
     * Puts the volume back as it was at {@code moment} (see {@link Rollback}). The state before is
     * checkpointed first, and the result after, so both stay in the repository.
     */
    public synchronized Rollback.Result rollback(Instant moment) throws IOException {
        Snapshot base = null;
        for (Snapshot s : catalog.checkpoints(entry.record())) {
            if (!s.time().isAfter(moment)) {
                base = s;
            }
        }
        if (base == null) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "volume '" + name() + "' has no checkpoint at or before "
                    + moment + "; it was created " + entry.created().time());
        }
        if (checkpointer.changed()) {
            checkpoint();
        }
        TreeStore trees = volume.trees();
        Snapshot from = base;
        Node live = trees.read(from.tree()).find(VolumeTrees.LIVE)
                .orElseThrow(() -> new CorruptDataException("volume checkpoint " + from.shortId() + " has no live/"));
        Rollback.Result r = new Rollback(volume.state(), trees, clock).run(live, from.time(), moment);
        checkpoint();
        return r;
    }

    /** Writes a checkpoint now, whether or not anything changed. */
    public synchronized Snapshot checkpoint() throws IOException {
        Snapshot s = checkpointer.checkpoint(entry);
        entry = new VolumeCatalog.Entry(entry.record(), s, entry.created());
        lastCheckpoint = clock.instant();
        return s;
    }

    private void keep() {
        try {
            learnCondemnations(false);
        } catch (IOException | RuntimeException e) {
            log.accept("volume " + entry.name() + ": looking for condemned packs failed: " + e.getMessage());
        }
        try {
            Duration every = entry.record().settings().checkpointEvery();
            if (checkpointer.changed() && !clock.instant().isBefore(lastCheckpoint.plus(every))) {
                Snapshot s = checkpoint();
                log.accept("volume " + entry.name() + ": checkpoint " + s.shortId());
            }
        } catch (IOException | RuntimeException e) {
            log.accept("volume " + entry.name() + ": checkpoint failed: " + e.getMessage());
        }
    }

    /** Stops periodic checkpoints, writes a last one if anything changed, closes the volume and unlocks it. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (keeper != null) {
            keeper.shutdown();
        }
        try {
            volume.data().flush();
            if (checkpointer.changed()) {
                checkpoint();
            }
            // Only after the last checkpoint: a close that fails before keeps the lease, as a crash does.
            if (lease != null) {
                lease.release();
            }
        } finally {
            try {
                volume.close();
            } finally {
                lock.release();
                lockFile.close();
            }
        }
    }
}
