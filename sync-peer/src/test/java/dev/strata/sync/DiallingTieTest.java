package dev.strata.sync;

import dev.strata.core.id.ChunkId;
import dev.strata.core.testing.RandomData;
import dev.strata.sync.chunks.ChunkSender;
import dev.strata.sync.chunks.ChunkSpace;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.chunks.MapChunks;
import dev.strata.sync.chunks.SharedKeys;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.ConnectionManager;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.TestDevice;
import dev.strata.sync.net.TestLink;
import dev.strata.sync.net.Timings;
import dev.strata.sync.peer.PeerBook;
import dev.strata.sync.volumes.Handlers;
import dev.strata.sync.volumes.KeysDirectory;
import dev.strata.sync.volumes.VolumeService;
import dev.strata.sync.wire.SpaceId;
import dev.strata.sync.wire.VolumeMessages;
import dev.strata.sync.wire.WireLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two devices that dial each other at once keep one connection (docs/sync.md, "One connection per
 * pair"): a request in flight on the connection that loses the tie is answered on the one that stays,
 * whichever side settles the tie first, and a connection that ends for another reason fails its request
 * at once. Each tie is played out step by step: the losing connection up at both ends and used, then the
 * winning one registered at one end, then at the other.
 */
@Timeout(120)
class DiallingTieTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Both devices' timings: a handshake timeout long enough that waiting for the winner is seen apart
     * from failing, and an idle timeout that lets a connection sit unregistered at one end for {@link #LATE}.
     */
    private static final Timings TIMINGS = new Timings(TestDevice.FAST.connect(), Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(8), WAIT, TestDevice.FAST.backoffFirst(), TestDevice.FAST.backoffMax());
    /**
     * How long after the peer dropped the losing connection the winning one completes its handshake at the
     * asking device: on a loaded machine, seconds (well within the handshake timeout).
     */
    private static final Duration LATE = Duration.ofSeconds(2);

    /** Which device asks: the one with the smaller ID settles the tie at its end first, the other learns it from a goodbye. */
    enum Asker { SMALLER_ID, LARGER_ID }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Asker.class)
    void aQuestionForKeys_inFlightOnTheConnectionThatLosesTheTie_isAnsweredOnTheOneThatStays(Asker asker) throws Exception {
        byte[] keys = RandomData.bytes(5, 45);
        SpaceId volume = SpaceId.of(RandomData.bytes(6, 16));
        Gate gate = new Gate();
        KeysDirectory directory = (name, peer) -> {
            gate.pass();
            return new KeysDirectory.VolumeKeysPlain(volume, name, keys);
        };
        try (Devices d = new Devices(asker, directory, new ChunkSpaces())) {
            VolumeMessages.Keys k = d.throughATie(gate, () -> d.atAsker.askKeys(d.node.connections(), d.peer.id(), "docs"));
            assertThat(k.volume()).isEqualTo(volume);
            assertThat(k.keys()).isEqualTo(keys);
            assertThat(gate.served.get()).as("asked again on the connection that stays").isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Asker.class)
    void aChunkOffer_inFlightOnTheConnectionThatLosesTheTie_isCompletedOnTheOneThatStays(Asker asker) throws Exception {
        SharedKeys keys = new SharedKeys(SpaceId.of(RandomData.bytes(7, 16)), RandomData.bytes(8, 32));
        MapChunks atAsker = new MapChunks();
        List<ChunkId> ids = new ArrayList<>();
        long bytes = 0;
        ChunkSpace space = ChunkSpace.of(keys, atAsker, atAsker);
        for (int i = 0; i < 5; i++) {
            byte[] data = RandomData.bytes(10 + i, 3000 + 700 * i);
            ids.add(atAsker.put(space.ids().hash(data), data));
            bytes += data.length;
        }
        Gate gate = new Gate();
        MapChunks atPeer = new MapChunks(gate::pass);
        ChunkSpaces peerSpaces = new ChunkSpaces();
        peerSpaces.add(ChunkSpace.of(keys, atPeer, atPeer));
        try (Devices d = new Devices(asker, null, peerSpaces)) {
            ChunkSender.Report r = d.throughATie(gate, () -> d.node.offer(d.peer.id(), space, ids));
            assertThat(r).isEqualTo(new ChunkSender.Report(5, 5, 5, bytes, 5, List.of()));
            for (ChunkId id : ids) {
                assertThat(atPeer.chunks.get(id)).isEqualTo(atAsker.chunks.get(id));
            }
            assertThat(gate.served.get()).as("asked again on the connection that stays").isEqualTo(2);
        }
    }

    @Test
    void aRequestWhoseConnectionEndsForAnotherReason_failsAtOnce() throws Exception {
        Gate gate = new Gate();
        KeysDirectory directory = (name, peer) -> {
            gate.pass();
            return new KeysDirectory.VolumeKeysPlain(SpaceId.of(new byte[16]), name, new byte[45]);
        };
        try (Devices d = new Devices(Asker.LARGER_ID, directory, new ChunkSpaces())) {
            d.register(TestLink.between(d.askerIdentity, d.peerIdentity, TIMINGS), true, true);
            CompletableFuture<VolumeMessages.Keys> answer = d.start(() -> d.atAsker.askKeys(d.node.connections(), d.peer.id(), "docs"));
            assertThat(gate.reached.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            long stopped = System.nanoTime();
            d.peer.network.close(); // the peer stops: a goodbye, not a tie
            try {
                answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("a request whose peer stopped was answered");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("stopping");
            } finally {
                gate.released.countDown();
            }
            long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
            assertThat(tookMillis).as("failed at once, without waiting for a connection to take its place")
                    .isLessThan(TIMINGS.handshake().toMillis() / 2);
        }
    }

    /** Something the asking device asks, which may fail. */
    @FunctionalInterface
    private interface Asking<T> {
        T ask() throws IOException;
    }

    /**
     * The asking device (a sync node, as {@code strata sync run} has) and its peer (serving keys and
     * chunks). Neither dials: the test makes every connection between them and registers each end.
     */
    private final class Devices implements AutoCloseable {
        final DeviceIdentity askerIdentity;
        final DeviceIdentity peerIdentity;
        final boolean askerSmaller;
        final VolumeService atAsker;
        final VolumeService atPeer;
        final SyncNode node;
        final TestDevice peer;
        private final ByteArrayOutputStream askerLog = new ByteArrayOutputStream();

        Devices(Asker asker, KeysDirectory keys, ChunkSpaces peerSpaces) throws IOException {
            DeviceIdentity one = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            DeviceIdentity two = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            DeviceIdentity smaller = one.id().compareTo(two.id()) < 0 ? one : two;
            DeviceIdentity larger = smaller == one ? two : one;
            askerSmaller = asker == Asker.SMALLER_ID;
            askerIdentity = askerSmaller ? smaller : larger;
            peerIdentity = askerSmaller ? larger : smaller;
            SyncLog log = new SyncLog(new PrintStream(askerLog, true, StandardCharsets.UTF_8), Clock.systemUTC());
            atAsker = new VolumeService(new ChunkSpaces(), null, log, WAIT);
            peer = new TestDevice("peer", peerIdentity);
            atPeer = new VolumeService(peerSpaces, keys, peer.log, WAIT);
            peer.start(0, c -> Handlers.of(c, peerSpaces, atPeer, peer.log), WireLimits.MAX_VERSION, TIMINGS);
            node = SyncNode.start(askerIdentity, new PeerBook(tmp.resolve("asker-config"), Clock.systemUTC()),
                    new SyncNode.Settings(tmp.resolve("asker-state/sync"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            "asker", TIMINGS), new ChunkSpaces(), atAsker, log, Clock.systemUTC());
        }

        ConnectionManager askerConnections() {
            return node.connections();
        }

        ConnectionManager peerConnections() {
            return peer.network.connections();
        }

        /** The end of {@code link} at the asking device. */
        PeerConnection atAsker(TestLink link, boolean askerDialled) {
            return askerDialled ? link.dialled() : link.accepted();
        }

        void register(TestLink link, boolean askerDialled, boolean atBothEnds) {
            assertThat(askerConnections().register(atAsker(link, askerDialled), Set.of(peerIdentity.id()))).isTrue();
            if (atBothEnds) {
                assertThat(peerConnections().register(askerDialled ? link.accepted() : link.dialled(), Set.of(askerIdentity.id())))
                        .isTrue();
            }
        }

        <T> CompletableFuture<T> start(Asking<T> asking) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return asking.ask();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /**
         * Asks on the connection that will lose the tie (the one the larger ID dialled), holds the peer's
         * answer at {@code gate} while the winning connection comes up and the loser is dropped, then lets
         * it go; returns what the asking came to.
         */
        <T> T throughATie(Gate gate, Asking<T> asking) throws Exception {
            DeviceIdentity smaller = askerSmaller ? askerIdentity : peerIdentity;
            DeviceIdentity larger = askerSmaller ? peerIdentity : askerIdentity;
            TestLink loser = TestLink.between(larger, smaller, TIMINGS);
            register(loser, !askerSmaller, true);
            PeerConnection loserHere = atAsker(loser, !askerSmaller);
            CompletableFuture<T> answer = start(asking);
            assertThat(gate.reached.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as(log()).isTrue();
            try {
                TestLink winner = TestLink.between(smaller, larger, TIMINGS);
                if (askerSmaller) {
                    // The asking side settles the tie: the winner takes the loser's place here, under the request.
                    register(winner, true, true);
                } else {
                    // The peer settles it first, and its goodbye ends the loser here while the winner is still
                    // in its handshake at this end.
                    assertThat(peerConnections().register(winner.dialled(), Set.of(askerIdentity.id()))).isTrue();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (loserHere.isOpen() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(loserHere.isOpen()).as("the peer's goodbye ended the losing connection here").isFalse();
                    Thread.sleep(LATE.toMillis());
                    register(winner, false, false);
                }
                assertThat(loserHere.endReason()).contains("a connection between these devices exists already");
            } finally {
                gate.released.countDown();
            }
            try {
                return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the request failed: " + e.getCause() + "\n" + log(), e.getCause());
            }
        }

        String log() {
            return "asker:\n" + askerLog.toString(StandardCharsets.UTF_8) + "peer:\n" + peer.log();
        }

        @Override
        public void close() throws IOException {
            try {
                node.close();
            } finally {
                atAsker.close();
                peer.close();
                atPeer.close();
            }
        }
    }

    /** Holds the first request the peer serves until released, and counts the requests it served. */
    private static final class Gate {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger served = new AtomicInteger();

        void pass() {
            if (served.incrementAndGet() == 1) {
                reached.countDown();
                try {
                    released.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
