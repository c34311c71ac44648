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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code strata sync run}: this device's sync process, in the foreground until SIGTERM or Ctrl-C: it
 * listens, keeps the added peers connected and serves chunk exchanges for its repository.
 */
@Command(name = "run", description = {"Run the sync process in the foreground: listen, connect to the added peers and keep",
        "them connected, until Ctrl-C or SIGTERM. Its log goes to standard error; 'strata sync status' shows the peers."})
final class SyncRunCommand implements Callable<Integer> {
    static final String DEFAULT_LISTEN = "0.0.0.0:22400";
    /** How often the process says in its lock that it knows the repository's condemnations (it refers to no chunk meanwhile). */
    private static final Duration CONDEMNATION_POLL = Duration.ofSeconds(30);

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
            SyncNode.Settings settings = new SyncNode.Settings(state.syncState(ctx), at, ctx.host().host(), Timings.DEFAULT);
            log.info("serving the chunks of repository " + r.config().idHex().substring(0, 8) + " (" + r.location() + ")");
            try (SyncNode node = SyncNode.start(identity, SyncArgs.peerBook(ctx), settings, spaces, log, ctx.clock())) {
                while (!stop.await(CONDEMNATION_POLL)) {
                    r.refreshCondemnations();
                }
                log.info("stopping");
            }
        }
        log.info("stopped");
        return 0;
    }
}
