package dev.strata.sync;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.chunks.ChunkSender;
import dev.strata.sync.chunks.ChunkSpace;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.ConnectionManager;
import dev.strata.sync.net.PeerNetwork;
import dev.strata.sync.net.PeerState;
import dev.strata.sync.volumes.Handlers;
import dev.strata.sync.volumes.VolumeService;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.Timings;
import dev.strata.sync.peer.Peer;
import dev.strata.sync.peer.PeerBook;
import dev.strata.sync.peer.PeerWatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running sync device: holds the run lock of its state folder, follows its peer list, listens and
 * keeps its peers connected, serves the chunk exchange for its chunk spaces, and publishes its status
 * for {@code strata sync status}. What {@code strata sync run} runs. Thread-safe.
 */
public final class SyncNode implements AutoCloseable {
    private static final long TICK_MILLIS = 250;
    private static final long HEARTBEAT_MILLIS = 5000;

    private final DeviceIdentity identity;
    private final SyncLog log;
    private final Clock clock;
    private final Timings timings;
    private final RunLock runLock;
    private final StatusFile statusFile;
    private final PeerWatch watch;
    private final PeerNetwork network;
    private final ScheduledExecutorService ticker;
    private final VolumeService volumes;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final Instant started;
    private long lastPublished;
    private boolean closed;

    /**
     * Where a node keeps what it keeps, and how it talks.
     *
     * @param syncState the folder of the run lock and the status ({@code <state>/sync})
     * @param listen    where to listen (port 0 for any free port)
     * @param name      the name this device gives itself in its hello (the host name)
     */
    public record Settings(Path syncState, InetSocketAddress listen, String name, Timings timings) {
    }

    private SyncNode(DeviceIdentity identity, PeerBook book, Settings settings, ChunkSpaces spaces, VolumeService volumes,
                     SyncLog log, Clock clock, RunLock runLock) throws IOException {
        this.identity = identity;
        this.log = log;
        this.clock = clock;
        this.timings = settings.timings();
        this.runLock = runLock;
        this.started = clock.instant();
        this.volumes = volumes;
        this.statusFile = new StatusFile(settings.syncState());
        this.watch = new PeerWatch(book, log::info);
        watch.refresh();
        this.network = new PeerNetwork(identity, settings.name(), watch::ids, settings.listen(), timings, clock, log,
                c -> Handlers.of(c, spaces, volumes, log), () -> dirty.set(true));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-sync-tick");
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress at = network.listening();
        log.info("device " + identity.id() + " listening on " + at.getHostString() + ":" + at.getPort() + ", "
                + watch.peers().size() + (watch.peers().size() == 1 ? " peer" : " peers"));
        network.follow(watch.peers());
        publish();
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts a node; fails if another runs with the same state folder or the address cannot be listened on. */
    public static SyncNode start(DeviceIdentity identity, PeerBook book, Settings settings, ChunkSpaces spaces, SyncLog log,
                                 Clock clock) throws IOException {
        return start(identity, book, settings, spaces, null, log, clock);
    }

    /** Starts a node that also serves shared volumes ({@code volumes}, may be null). */
    public static SyncNode start(DeviceIdentity identity, PeerBook book, Settings settings, ChunkSpaces spaces,
                                 VolumeService volumes, SyncLog log, Clock clock) throws IOException {
        RunLock lock = RunLock.acquire(settings.syncState());
        try {
            return new SyncNode(identity, book, settings, spaces, volumes, log, clock, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public DeviceId id() {
        return identity.id();
    }

    /** The address listened on (with the port chosen, if 0 was asked for). */
    public InetSocketAddress listening() {
        return network.listening();
    }

    public ConnectionManager connections() {
        return network.connections();
    }

    /**
     * Offers chunks of {@code space} to a connected peer: only those it lacks travel ({@link ChunkSender}).
     * An offer carried over to another connection by a tie asks again what the peer lacks, so chunks
     * stored by its first copy do not travel twice.
     */
    public ChunkSender.Report offer(DeviceId peer, ChunkSpace space, List<ChunkId> ids) throws IOException {
        ChunkSender sender = new ChunkSender(timings.answer());
        return network.connections().ask(peer, c -> sender.offer(c, space, ids));
    }

    private void tick() {
        try {
            if (watch.refresh()) {
                network.follow(watch.peers());
                dirty.set(true);
            }
            long now = System.nanoTime() / 1_000_000;
            if (dirty.getAndSet(false) || now - lastPublished >= HEARTBEAT_MILLIS) {
                publish();
            }
        } catch (IOException | RuntimeException e) {
            log.info("publishing the status failed: " + e.getMessage());
        }
    }

    private synchronized void publish() throws IOException {
        if (closed) {
            return;
        }
        statusFile.write(status(true));
        lastPublished = System.nanoTime() / 1_000_000;
    }

    private SyncStatus status(boolean running) {
        Map<DeviceId, PeerState> states = network.connections().states();
        List<PeerState> peers = new ArrayList<>();
        for (Peer p : watch.peers()) {
            PeerState s = states.getOrDefault(p.id(), new PeerState(p.id(), false, null, null, null, null, null, null));
            if (!running && s.connected()) {
                s = new PeerState(p.id(), false, null, null, null, s.name(), "this device stopped", clock.instant());
            }
            peers.add(s);
        }
        InetSocketAddress at = network.listening();
        return new SyncStatus(ProcessHandle.current().pid(), identity.id(), at == null ? null : at.getHostString() + ":" + at.getPort(),
                started, clock.instant(), running, peers, progress());
    }

    private List<dev.strata.sync.volumes.VolumeProgress> progress() {
        if (volumes == null) {
            return List.of();
        }
        try {
            return volumes.progress();
        } catch (IOException e) {
            log.info("reading the volumes' progress failed: " + e.getMessage());
            return List.of();
        }
    }

    /** Stops: says goodbye to every peer, publishes that it stopped, releases the state folder. Idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.close();
        try {
            statusFile.write(status(false));
        } finally {
            runLock.close();
        }
    }
}
