package dev.strata.sync;

import dev.strata.core.error.UserFacingException;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.PeerState;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.TestDevice;
import dev.strata.sync.peer.PeerAddress;
import dev.strata.sync.peer.PeerBook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two nodes with their configuration and state folders: the peer list followed as it changes, the status published. */
@Timeout(120)
class SyncNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void peersAddedWhileRunning_connect_andTheStatusSaysSo_untilTheNodeStops() throws Exception {
        Node ana = new Node("ana");
        Node bob = new Node("bob");
        try (SyncNode a = ana.start(); SyncNode b = bob.start()) {
            StatusFile anaStatus = new StatusFile(ana.state);
            assertThat(anaStatus.read().orElseThrow().running()).isTrue();
            assertThat(anaStatus.read().orElseThrow().peers()).isEmpty();
            assertThat(RunLock.isHeld(ana.state)).isTrue();

            // Added while both run: the peer list file is followed.
            ana.book.add(bob.identity.id(), new PeerAddress("127.0.0.1", b.listening().getPort()));
            bob.book.add(ana.identity.id(), new PeerAddress("127.0.0.1", a.listening().getPort()));
            PeerState seen = awaitStatus(anaStatus, s -> s.peers().size() == 1 && s.peers().get(0).connected());
            assertThat(seen.id()).isEqualTo(bob.identity.id());
            assertThat(seen.name()).isEqualTo("bob");
            assertThat(seen.since()).isNotNull();
            assertThat(seen.direction()).isIn(PeerConnection.Direction.INBOUND, PeerConnection.Direction.OUTBOUND);

            assertThatThrownBy(ana::start).isInstanceOf(UserFacingException.class).hasMessageContaining("is running already");

            ana.book.remove(bob.identity.id());
            awaitStatus(anaStatus, s -> s.peers().isEmpty());
            assertThat(a.connections().isConnected(bob.identity.id())).isFalse();
        }
        SyncStatus last = new StatusFile(ana.state).read().orElseThrow();
        assertThat(last.running()).isFalse();
        assertThat(RunLock.isHeld(ana.state)).isFalse();
    }

    @Test
    void aNodeThatCannotListen_saysWhere_andLeavesTheStateFolderFree() throws Exception {
        Node ana = new Node("ana");
        try (SyncNode a = ana.start()) {
            Node bob = new Node("bob");
            InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), a.listening().getPort());
            assertThatThrownBy(() -> SyncNode.start(bob.identity, bob.book, new SyncNode.Settings(bob.state, taken, "bob", TestDevice.FAST),
                    new ChunkSpaces(), bob.log, Clock.systemUTC())).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getPort());
            assertThat(RunLock.isHeld(bob.state)).isFalse();
        }
    }

    private static PeerState awaitStatus(StatusFile file, Predicate<SyncStatus> test) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SyncStatus s = file.read().orElse(null);
            if (s != null && test.test(s)) {
                return s.peers().isEmpty() ? null : s.peers().get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status stayed " + s);
            }
            Thread.sleep(50);
        }
    }

    private final class Node {
        final String name;
        final DeviceIdentity identity;
        final PeerBook book;
        final Path state;
        final SyncLog log = new SyncLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC());

        Node(String name) throws Exception {
            this.name = name;
            Path config = tmp.resolve(name + "/config");
            this.identity = DeviceIdentity.loadOrCreate(config, Clock.systemUTC());
            this.book = new PeerBook(config, Clock.systemUTC());
            this.state = tmp.resolve(name + "/state/sync");
        }

        SyncNode start() throws Exception {
            return SyncNode.start(identity, book, new SyncNode.Settings(state, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    name, TestDevice.FAST), new ChunkSpaces(), log, Clock.systemUTC());
        }
    }
}
