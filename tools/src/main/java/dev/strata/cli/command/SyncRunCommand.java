package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.sync.SyncNode;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.chunks.StoreChunks;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.Timings;
import dev.strata.sync.peer.PeerAddress;
import dev.strata.sync.volumes.ConflictLog;
import dev.strata.sync.volumes.VolumeService;
import dev.strata.volume.StateFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code strata sync run}: this device's sync process, in the foreground until SIGTERM or Ctrl-C: it
 * listens, keeps the added peers connected, serves chunk exchanges for its repository, and syncs the
 * shared volumes not mounted by another process (docs/sync.md).
 */
@Command(name = "run", description = {"Run the sync process in the foreground: listen, connect to the added peers and keep",
        "them connected, until Ctrl-C or SIGTERM. Its log goes to standard error; 'strata sync status' shows the peers."})
final class SyncRunCommand implements Callable<Integer> {
    static final String DEFAULT_LISTEN = "0.0.0.0:22400";
    /** How often the process says in its lock that it knows the repository's condemnations (it refers to no chunk meanwhile). */
    private static final Duration CONDEMNATION_POLL = Duration.ofSeconds(30);
    /** How often the shared volumes are looked at again: a new share opened, a join tried. */
    private static final Duration FOLLOW = Duration.ofSeconds(1);
    /** How often while a join waits for its peer: the keys are asked for as soon as the peer is connected. */
    private static final Duration FOLLOW_JOINING = Duration.ofMillis(100);

    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    SyncStateArgs state;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            description = "Where to listen for peers (default ${DEFAULT-VALUE}; port 0 picks a free one).")
    String listen;

    SyncRunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress at;
        try {
            at = PeerAddress.parse(listen).resolve();
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--listen: " + e.getMessage());
        }
        if (at.isUnresolved()) {
            throw new UserFacingException(ExitCode.USAGE, "--listen: cannot resolve " + at.getHostString());
        }
        DeviceIdentity identity = SyncIdentities.loadOrCreate(ctx);
        SyncLog log = new SyncLog(ctx.err(), ctx.clock());
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            ChunkSpaces spaces = new ChunkSpaces();
            spaces.add(StoreChunks.repositorySpace(r.config().id(), r.store()));
            StopSignals stop = StopSignals.install();
            Path syncState = state.syncState(ctx);
            SyncNode.Settings settings = new SyncNode.Settings(syncState, at, ctx.host().host(), Timings.DEFAULT);
            log.info("serving the chunks of repository " + r.config().idHex().substring(0, 8) + " (" + r.location() + ")");
            try (SyncVolumes held = new SyncVolumes(ctx, r, SyncArgs.shareBook(ctx), log,
                    StateFolders.root(state.stateDir, ctx.env()), identity.id(), new ConflictLog(syncState));
                 VolumeService volumes = new VolumeService(spaces, held, log, Timings.DEFAULT.answer())) {
                held.attach(volumes);
                try (SyncNode node = SyncNode.start(identity, SyncArgs.peerBook(ctx), settings, spaces, volumes, log, ctx.clock())) {
                    long lastPoll = System.nanoTime();
                    follow(held, node, log);
                    while (!stop.await(held.joining() ? FOLLOW_JOINING : FOLLOW)) {
                        follow(held, node, log);
                        if (System.nanoTime() - lastPoll >= CONDEMNATION_POLL.toNanos()) {
                            r.refreshCondemnations();
                            lastPoll = System.nanoTime();
                        }
                    }
                    log.info("stopping");
                }
            }
        }
        log.info("stopped");
        return 0;
    }

    /** One look at the shared volumes; a failure is logged and tried again at the next look. */
    private static void follow(SyncVolumes held, SyncNode node, SyncLog log) {
        try {
            held.refresh(node);
        } catch (IOException e) {
            log.info("following the shared volumes failed: " + e.getMessage());
        }
    }
}
