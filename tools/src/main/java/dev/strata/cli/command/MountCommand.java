package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockHolder;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.fuse.FuseAdapter;
import dev.strata.fuse.FuseMount;
import dev.strata.fuse.MountLog;
import dev.strata.fuse.MountOptions;
import dev.strata.fuse.Unmounter;
import dev.strata.sync.view.PeerSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code strata mount}: shows the repository as a read-only folder tree. Runs in the foreground
 * until unmounted (Ctrl-C, SIGTERM or {@code strata umount}); {@code --daemon} starts the same
 * command in a detached process and returns once the mount is ready.
 */
@Command(name = "mount", description = {"Mount the repository as a folder tree: snapshots/, versions/, hosts/, tags/, ids/, images/ read-only, volumes/ read-write.",
        "Runs until Ctrl-C, SIGTERM or 'strata umount MOUNTPOINT'; --daemon returns once it is mounted."})
final class MountCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An empty folder.")
    Path mountpoint;

    @Option(names = "--daemon", description = "Run in the background; the log goes to --log.")
    boolean daemon;

    @Option(names = "--allow-other", description = "Let other users see the mount (non-root needs user_allow_other in /etc/fuse.conf).")
    boolean allowOther;

    @Option(names = "--threads", paramLabel = "N", description = "Threads serving requests (default: ${DEFAULT-VALUE}).")
    int threads = 4;

    @Option(names = "--log", paramLabel = "FILE", description = "Where a --daemon mount writes its log (default: mount.log in the cache folder).")
    Path logFile;

    @Option(names = "--volume", paramLabel = "NAME", description = "Mount only this live volume, read-write, at MOUNTPOINT.")
    String volume;

    @Option(names = "--sync-listen", paramLabel = "HOST:PORT", defaultValue = SyncRunCommand.DEFAULT_LISTEN,
            description = "Where to listen for peers when a mounted volume is shared (default ${DEFAULT-VALUE}).")
    String syncListen;

    @Mixin
    VolumeAccess volumes;

    private static final long MOUNT_CHUNK_CACHE = 32L << 20;
    /** One chunk's worth: the kernel asks for the next reads while the current chunk is decoded. */
    private static final int KERNEL_READ_AHEAD_KB = 1024;
    /**
     * A mount lives long and mostly waits: a heap that gives memory back, starting where its caches and
     * listings leave room for the chunks being read; and the flags of every strata JVM (tools/launcher
     * gives a mount the same, and says why).
     */
    static final java.util.List<String> MOUNT_JVM_OPTIONS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("-Xms128m", "-Xmx512m"), dev.strata.cli.JvmFlags.common().stream()).toList();
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    MountCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Path mp = mountpoint.toAbsolutePath().normalize();
        MountpointCheck.usable(mp);
        if (daemon) {
            return new DaemonLauncher(ctx, repo, logFile).start(mp, allowOther, threads, volume, volumes.stateRoot(ctx), syncListen);
        }
        // Every request of a fresh mount opens chunks: the cipher is warmed up while the repository
        // opens (its key derivation and index take the other core), and is ready before the first request.
        Thread warmUp = new Thread(Aes256GcmCipher::warmUpNow, "strata-crypto-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        // The kernel's page cache keeps what was read; a small cache of decoded chunks serves the rest.
        // The lock says how to end the mount: a prune it keeps out would otherwise wait forever. It
        // appends, since live volumes store packs and checkpoints while mounted.
        LockHolder holder = LockHolder.untilStopped("strata mount " + mp, "strata umount " + mp);
        // peers/ beside volumes/ when this device shares volumes; it shows what the peers hold once sync runs.
        java.util.concurrent.atomic.AtomicReference<PeerSource> peers = new java.util.concurrent.atomic.AtomicReference<>(PeerSource.NONE);
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND,
                o -> o.withChunkCacheBytes(MOUNT_CHUNK_CACHE).withLockHolder(holder));
             RepositoryView view = volume != null
                     ? RepositoryView.openVolume(r, ctx.err(), volumes.stateRoot(ctx), volume, commandOptions())
                     : RepositoryView.open(r, ctx.err(), volumes.stateRoot(ctx), commandOptions(),
                             MountSync.anyShared(ctx) ? peers::get : null)) {
            String fsName = "strata:" + RepositoryAccess.location(ctx, repo) + (volume != null ? ":" + volume : "");
            MountOptions options = (view.hasVolumes() ? MountOptions.mutable(fsName) : MountOptions.immutable(fsName))
                    .withAllowOther(allowOther).withThreads(threads);
            Optional<MountSync> sync = MountSync.start(ctx, r, view.volumes(), syncListen, volumes.stateRoot(ctx), ctx.err());
            sync.ifPresent(s -> peers.set(s.peers()));
            // Ctrl-C and SIGTERM unmount, and the command then ends normally (exit 0); the hook
            // covers the JVM ending any other way.
            UnmountSignals stop = UnmountSignals.install(mp, ctx.err());
            FuseMount m;
            try {
                warmUp.join();
                m = FuseMount.mount(mp, new FuseAdapter(view.root(), new MountLog(ctx.err())), options);
            } catch (IOException | RuntimeException | InterruptedException e) {
                sync.ifPresent(MountSync::close);
                throw e;
            }
            m.setKernelReadAhead(KERNEL_READ_AHEAD_KB);
            CountDownLatch closed = new CountDownLatch(1);
            Thread hook = new Thread(() -> unmountOnExit(m, closed), "strata-unmount");
            Runtime.getRuntime().addShutdownHook(hook);
            stop.mounted();
            ctx.out().println("Mounted " + RepositoryAccess.location(ctx, repo) + " at " + mp);
            ctx.out().println((volume != null ? "Volume " + volume + " is read-write here"
                    : "Browse snapshots/, versions/, hosts/, tags/, ids/" + (view.hasVolumes() ? " and the read-write volumes/" : "")
                    + (sync.isPresent() && volume == null ? ", and in peers/ what each peer holds" : ""))
                    + "; Ctrl-C or 'strata umount " + mp + "' unmounts.");
            ctx.out().flush();
            try {
                while (!m.awaitUnmount(500)) {
                    if (stop.overdue(STOP_GRACE_NANOS)) {
                        // Something still has a file or folder of the mount open, so the unmount was
                        // lazy. Asked to stop, we stop: ending the process closes /dev/fuse, and
                        // whatever held the mount open gets an error instead of a hang.
                        ctx.err().println("strata: the mount is still in use; ending anyway");
                        break;
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException exiting) {
                    // SIGTERM or Ctrl-C: the hook is unmounting and waits for the close below.
                }
                sync.ifPresent(MountSync::close);
                view.close();
                r.close();
                closed.countDown();
            }
            ctx.out().println("Unmounted " + mp + " (requests served: " + m.adapter().statistics() + ")");
            ctx.out().println("Kernel requests: " + m.requests());
        }
        return ExitCode.OK.code();
    }

    /** What the commands this mount prints in its log (the undo of a burst) need besides a volume's name. */
    private String commandOptions() throws UserFacingException {
        return VolumeAccess.commandOptions(ctx.env(), RepositoryAccess.location(ctx, repo), volumes.stateRoot(ctx));
    }

    /** SIGTERM and Ctrl-C: unmount, then let the main thread release the repository before the JVM ends. */
    private static void unmountOnExit(FuseMount m, CountDownLatch closed) {
        try {
            Unmounter.unmount(m.mountpoint());
            closed.await(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("strata: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The checks that give a clear message instead of libfuse's. */
    static final class MountpointCheck {
        private MountpointCheck() {
        }

        static void usable(Path mp) throws IOException {
            if (!Files.exists(mp)) {
                throw new UserFacingException(ExitCode.USAGE, "mountpoint " + mp + " does not exist (create it with mkdir)");
            }
            if (!Files.isDirectory(mp)) {
                throw new UserFacingException(ExitCode.USAGE, "mountpoint " + mp + " is not a folder");
            }
            if (FuseMount.isMounted(mp)) {
                throw new UserFacingException(ExitCode.ALREADY_EXISTS, "something is already mounted at " + mp
                        + " (unmount it with 'strata umount " + mp + "')");
            }
            try (var entries = Files.list(mp)) {
                if (entries.findAny().isPresent()) {
                    throw new UserFacingException(ExitCode.USAGE, "mountpoint " + mp + " is not empty");
                }
            }
        }
    }
}
