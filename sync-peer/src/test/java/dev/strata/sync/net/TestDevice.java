package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.peer.Peer;
import dev.strata.sync.peer.PeerAddress;
import dev.strata.sync.wire.WireLimits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;

/** A device for tests: an identity, its added peers, its log in memory, and its network on loopback. */
public final class TestDevice implements AutoCloseable {
    /** Short enough for tests to see timeouts and reconnections in seconds. */
    public static final Timings FAST = new Timings(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(300),
            Duration.ofMillis(1500), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(400));

    final DeviceIdentity identity;
    final String name;
    final Set<DeviceId> trusted = new CopyOnWriteArraySet<>();
    final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    public final SyncLog log = new SyncLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), Clock.systemUTC());
    public PeerNetwork network;

    public TestDevice(String name) {
        this(name, DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC()));
    }

    public TestDevice(String name, DeviceIdentity identity) {
        this.name = name;
        this.identity = identity;
    }

    public DeviceId id() {
        return identity.id();
    }

    public TestDevice start() throws IOException {
        return start(0, c -> (conn, f) -> {
        });
    }

    public TestDevice start(int port, Function<PeerConnection, RequestHandler> handlers) throws IOException {
        return start(port, handlers, WireLimits.MAX_VERSION);
    }

    /** Starts a device that speaks protocol versions up to {@code maxVersion} only, as an older build does. */
    public TestDevice start(int port, Function<PeerConnection, RequestHandler> handlers, int maxVersion) throws IOException {
        return start(port, handlers, maxVersion, FAST);
    }

    /** Starts a device whose connections wait as {@code timings} say. */
    public TestDevice start(int port, Function<PeerConnection, RequestHandler> handlers, int maxVersion, Timings timings)
            throws IOException {
        network = new PeerNetwork(identity, name, () -> trusted, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timings,
                Clock.systemUTC(), log, handlers, () -> { }, maxVersion);
        network.follow(List.copyOf(peers));
        return this;
    }

    public int port() {
        return network.listening().getPort();
    }

    /** Adds {@code other} as a peer (it must be started, so that its port is known). */
    public void add(TestDevice other) {
        trusted.add(other.id());
        peers.removeIf(p -> p.id().equals(other.id()));
        peers.add(new Peer(other.id(), new PeerAddress("127.0.0.1", other.port()), Instant.now()));
        if (network != null) {
            network.follow(new ArrayList<>(peers));
        }
    }

    /** Trusts {@code other} without dialling it: connections between the two are then the ones {@code other} dials. */
    public void trust(TestDevice other) {
        trusted.add(other.id());
    }

    /**
     * Dials {@code other} once more, beside any connection that is up, and registers the new one: what
     * happens when two devices dial each other at once (the tie rule keeps one of the two).
     */
    public PeerConnection dialOnce(TestDevice other) throws IOException {
        dev.strata.sync.trust.RefusalListener refusals = (id, from, why) -> log.info("refused " + id + ": " + why);
        Handshake handshake = new Handshake(
                new dev.strata.sync.trust.TlsContext(identity, new dev.strata.sync.trust.PinnedTrustManager(() -> trusted, refusals)),
                new dev.strata.sync.wire.Hello(WireLimits.MIN_VERSION, WireLimits.MAX_VERSION, identity.id(), name), FAST,
                Clock.systemUTC(), () -> trusted, refusals);
        PeerConnection c = handshake.dial(new InetSocketAddress(InetAddress.getLoopbackAddress(), other.port()), other.id());
        network.connections().register(c, trusted);
        return c;
    }

    void remove(TestDevice other) {
        trusted.remove(other.id());
        peers.removeIf(p -> p.id().equals(other.id()));
        network.follow(new ArrayList<>(peers));
    }

    public boolean awaitConnected(TestDevice other, Duration d) throws InterruptedException {
        return network.connections().awaitConnected(other.id(), d);
    }

    public String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the log contains {@code text}; false if it does not within {@code d}. */
    public boolean awaitLog(String text, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
        }
    }
}
