package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.Repository;
import dev.strata.sync.SyncNode;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.Timings;
import dev.strata.sync.peer.PeerAddress;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerRequests;
import dev.strata.sync.view.PeerSource;
import dev.strata.sync.volumes.ConflictLog;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.sync.volumes.ShareBook;
import dev.strata.sync.volumes.VolumeService;
import dev.strata.volume.VolumeHome;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sync engine inside {@code strata mount}: when the mount holds shared volumes, it runs what
 * {@code strata sync run} would for them (docs/sync.md, "Where sync runs"), so that edits made in the
 * mounted folder travel and the peers' appear in it. Started after the volumes are open, closed before
 * they are. Thread-safe.
 */
final class MountSync implements AutoCloseable {
    private final SyncNode node;
    private final VolumeService service;
    private final SyncVolumes volumes;
    private final ScheduledExecutorService follower;

    private MountSync(SyncNode node, VolumeService service, SyncVolumes volumes, SyncLog log) {
        this.node = node;
        this.service = service;
        this.volumes = volumes;
        this.follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-mount-sync");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(() -> {
            try {
                volumes.refreshDevices();
            } catch (IOException | RuntimeException e) {
                log.info("reading the shared volumes failed: " + e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Starts syncing the shared volumes among {@code homes}; empty when none of them is shared, or when
     * another process (a {@code strata sync run}) holds this device's sync state: then that is said in
     * the log and the volumes are mounted without sync.
     */
    static Optional<MountSync> start(CliContext ctx, Repository r, List<VolumeHome> homes, String listen, Path stateRoot,
                                     PrintStream err) throws IOException {
        ShareBook shares = SyncArgs.shareBook(ctx);
        List<ShareBook.Share> list = shares.list();
        List<ShareBook.Share> matched = new ArrayList<>();
        List<VolumeHome> served = new ArrayList<>();
        for (VolumeHome h : homes) {
            for (ShareBook.Share s : list) {
                if (!s.joining() && s.name().equals(h.volume().name())
                        && s.volumeId().equals(dev.strata.core.id.Hex.encode(h.volume().volumeId()))) {
                    matched.add(s);
                    served.add(h);
                }
            }
        }
        if (matched.isEmpty()) {
            return Optional.empty();
        }
        InetSocketAddress at;
        try {
            at = PeerAddress.parse(listen).resolve();
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--sync-listen: " + e.getMessage());
        }
        SyncLog log = new SyncLog(err, ctx.clock());
        DeviceIdentity identity = SyncIdentities.loadOrCreate(ctx);
        Path syncState = stateRoot.resolve("sync");
        ChunkSpaces spaces = new ChunkSpaces();
        SyncVolumes held = new SyncVolumes(ctx, r, shares, log, stateRoot, identity.id(), new ConflictLog(syncState));
        VolumeService service = new VolumeService(spaces, held, log, Timings.DEFAULT.answer());
        held.attach(service);
        try {
            for (int i = 0; i < matched.size(); i++) {
                held.adopt(matched.get(i), served.get(i));
            }
            SyncNode node = SyncNode.start(identity, SyncArgs.peerBook(ctx), new SyncNode.Settings(syncState, at,
                    ctx.host().host(), Timings.DEFAULT), spaces, service, log, ctx.clock());
            return Optional.of(new MountSync(node, service, held, log));
        } catch (IOException e) {
            // Another process holds this device's sync state, or the address is taken: the volumes are
            // mounted all the same, and the log says why they do not sync.
            service.close();
            log.info("the shared volumes mounted here are not synced: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** What the mount's {@code peers/} shows: the volumes synced here, their devices, the peers to ask. */
    PeerSource peers() {
        return new PeerSource() {
            @Override
            public List<SharedVolume> volumes() {
                return service.volumes();
            }

            @Override
            public Set<DeviceId> devices(SharedVolume volume) {
                return volumes.devices(volume.name());
            }

            @Override
            public PeerRequests requests() {
                return node.connections();
            }
        };
    }

    /** Whether the volumes of this device's configuration include one shared from here (not only joins). */
    static boolean anyShared(CliContext ctx) throws IOException {
        return SyncArgs.shareBook(ctx).list().stream().anyMatch(s -> !s.joining());
    }

    /** Stops syncing (goodbye to the peers); the volumes stay open for the mount to close. */
    @Override
    public void close() {
        follower.shutdownNow();
        try {
            node.close();
        } catch (IOException e) {
            // The node said goodbye as far as it could; the volumes close next all the same.
        }
        service.close();
    }
}
