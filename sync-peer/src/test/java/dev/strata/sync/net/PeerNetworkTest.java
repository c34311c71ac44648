package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.trust.PinnedTrustManager;
import dev.strata.sync.trust.TlsContext;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameReader;
import dev.strata.sync.wire.FrameWriter;
import dev.strata.sync.wire.Goodbye;
import dev.strata.sync.wire.Hello;
import dev.strata.sync.wire.MessageType;
import dev.strata.sync.wire.WireLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Real devices on loopback: TLS, hellos, one connection per pair, timeouts, malformed frames, reconnection. */
@Timeout(120)
class PeerNetworkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void devicesThatAddedEachOther_connectOnce_evenWhenBothDial() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start(); TestDevice bob = new TestDevice("bob").start()) {
            ana.add(bob);
            bob.add(ana);
            assertThat(ana.awaitConnected(bob, WAIT)).as(ana.log()).isTrue();
            assertThat(bob.awaitConnected(ana, WAIT)).as(bob.log()).isTrue();
            // Both dialled; once settled both sides keep the same one, dialled by the smaller ID.
            Thread.sleep(1500);
            PeerConnection a = ana.network.connections().connection(bob.id()).orElseThrow();
            PeerConnection b = bob.network.connections().connection(ana.id()).orElseThrow();
            boolean anaSmaller = ana.id().compareTo(bob.id()) < 0;
            assertThat(a.direction()).isEqualTo(anaSmaller ? PeerConnection.Direction.OUTBOUND : PeerConnection.Direction.INBOUND);
            assertThat(b.direction()).isEqualTo(anaSmaller ? PeerConnection.Direction.INBOUND : PeerConnection.Direction.OUTBOUND);
            assertThat(a.peerName()).isEqualTo("bob");
            assertThat(a.version()).isEqualTo(WireLimits.MAX_VERSION);
            // Pings keep an idle connection up well past the idle timeout.
            Thread.sleep(TestDevice.FAST.idle().multipliedBy(2).toMillis());
            assertThat(ana.network.connections().connection(bob.id())).contains(a);
            assertThat(ana.network.connections().states().get(bob.id()).connected()).isTrue();
        }
    }

    @Test
    void aDeviceNotAdded_isRefused_andTheLogNamesTheIdItPresented() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start(); TestDevice eve = new TestDevice("eve").start()) {
            eve.add(ana);
            assertThat(ana.awaitLog("refused a connection with 127.0.0.1:", WAIT)).isTrue();
            assertThat(ana.log()).contains("device " + eve.id() + " is not an added peer (it presented device ID " + eve.id() + ")");
            assertThat(eve.awaitLog("refused this device's certificate: it has not added this device (" + eve.id() + ")", WAIT))
                    .as(eve.log()).isTrue();
            assertThat(ana.network.connections().isConnected(eve.id())).isFalse();
            assertThat(eve.network.connections().states().get(ana.id()).lastError()).contains("refused this device's certificate");
        }
    }

    @Test
    void onlyOneSideAdded_nothingConnects_untilTheOtherAddsToo() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start(); TestDevice bob = new TestDevice("bob").start()) {
            ana.add(bob);
            assertThat(bob.awaitLog("is not an added peer", WAIT)).isTrue();
            assertThat(ana.network.connections().isConnected(bob.id())).isFalse();
            bob.add(ana);
            assertThat(ana.awaitConnected(bob, WAIT)).isTrue();
        }
    }

    @Test
    void aRemovedPeer_isDisconnected_andRefused() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start(); TestDevice bob = new TestDevice("bob").start()) {
            ana.add(bob);
            bob.add(ana);
            assertThat(ana.awaitConnected(bob, WAIT)).isTrue();
            Thread.sleep(1000); // both dialled: let the duplicate go first
            assertThat(ana.network.connections().isConnected(bob.id())).isTrue();
            ana.remove(bob);
            assertThat(ana.log()).contains("peer " + bob.id() + " was removed: its connections are refused from now on");
            assertThat(bob.awaitLog("the peer said goodbye: removed as a peer", WAIT)).as(ana.log() + "\n---\n" + bob.log()).isTrue();
            // bob keeps dialling and is refused, the log naming it each time.
            assertThat(ana.awaitLog("device " + bob.id() + " is not an added peer", WAIT)).as(ana.log() + "\n---\n" + bob.log()).isTrue();
            assertThat(ana.network.connections().isConnected(bob.id())).isFalse();
            assertThat(bob.network.connections().isConnected(ana.id())).isFalse();
        }
    }

    @Test
    void aPeerThatRestarts_isReconnected() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start()) {
            TestDevice bob = new TestDevice("bob").start();
            int port = bob.port();
            bob.add(ana);
            ana.add(bob);
            assertThat(ana.awaitConnected(bob, WAIT)).isTrue();
            bob.close();
            assertThat(ana.awaitLog("the peer said goodbye: stopping", WAIT)).as(ana.log()).isTrue();
            assertThat(ana.network.connections().isConnected(bob.id())).isFalse();
            // The same device back on the same port: ana dials it again by itself.
            try (TestDevice back = new TestDevice("bob", bob.identity)) {
                back.add(ana);
                back.start(port, c -> (conn, f) -> { });
                assertThat(ana.awaitConnected(back, WAIT)).as(ana.log()).isTrue();
            }
        }
    }

    @Test
    void aPeerThatGoesSilent_isDroppedAfterTheIdleTimeout() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start()) {
            DeviceIdentity mute = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            ana.trusted.add(mute.id());
            try (RawPeer raw = RawPeer.connect(mute, ana)) {
                raw.hello();
                assertThat(ana.network.connections().awaitConnected(mute.id(), WAIT)).isTrue();
                assertThat(ana.awaitLog("disconnected from " + mute.id().shortString() + ": no word from the peer for 1 s", WAIT))
                        .as(ana.log()).isTrue();
            }
        }
    }

    @Test
    void malformedAndOversizeFrames_endTheConnectionWithAClearReason() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start()) {
            DeviceIdentity other = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            ana.trusted.add(other.id());
            try (RawPeer raw = RawPeer.connect(other, ana)) {
                raw.hello();
                raw.out.write(new byte[]{0, 0, 0, 1, 0x42});
                raw.out.flush();
                assertThat(ana.awaitLog(": malformed message: unknown message type 0x42", WAIT)).as(ana.log()).isTrue();
                assertThat(raw.goodbye()).isEqualTo("malformed message: unknown message type 0x42");
            }
            try (RawPeer raw = RawPeer.connect(other, ana)) {
                raw.hello();
                raw.out.write(new byte[]{0x7F, 0, 0, 0, 0x12});
                raw.out.flush();
                assertThat(raw.goodbye()).isEqualTo("malformed message: a frame of 2130706432 bytes, more than the "
                        + WireLimits.AFTER_HELLO + " allowed here");
            }
            try (RawPeer raw = RawPeer.connect(other, ana)) {
                // Before the hello, frames are bounded to 4 KiB.
                raw.out.write(new byte[]{0, 0, 0x20, 0, 0x01});
                raw.out.flush();
                assertThat(ana.awaitLog("failed: a frame of 8192 bytes, more than the 4096 allowed here", WAIT)).as(ana.log()).isTrue();
            }
            try (RawPeer raw = RawPeer.connect(other, ana)) {
                // A hello that names another device than the certificate.
                raw.writer.write(new Hello(1, 1, ana.id(), "liar").encode());
                assertThat(ana.awaitLog("names device " + ana.id() + " but its certificate is " + other.id(), WAIT)).as(ana.log()).isTrue();
            }
        }
    }

    @Test
    void noCommonVersion_isRefusedWithBothRanges() throws Exception {
        try (TestDevice ana = new TestDevice("ana").start()) {
            DeviceIdentity future = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            ana.trusted.add(future.id());
            try (RawPeer raw = RawPeer.connect(future, ana)) {
                raw.writer.write(new Hello(7, 9, future.id(), "future").encode());
                assertThat(ana.awaitLog("no common protocol version: this device speaks 1.." + WireLimits.MAX_VERSION + ", the peer 7..9", WAIT)).as(ana.log()).isTrue();
            }
        }
    }

    @Test
    void aPackedChunk_onAConnectionBelowVersion3_isMalformed() throws Exception {
        try (TestDevice ana = new TestDevice("ana")) {
            ana.start(0, c -> new dev.strata.sync.chunks.ChunkReceiver(new dev.strata.sync.chunks.ChunkSpaces(), ana.log));
            DeviceIdentity older = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
            ana.trusted.add(older.id());
            try (RawPeer raw = RawPeer.connect(older, ana)) {
                raw.writer.write(new Hello(1, 2, older.id(), "older").encode());
                assertThat(new FrameReader(raw.in, WireLimits.BEFORE_HELLO).read().type()).isEqualTo(MessageType.HELLO);
                byte[] payload = java.nio.ByteBuffer.allocate(4 + 32 + 1 + 4 + 3).putInt(1).put(new byte[32]).put((byte) 0)
                        .putInt(3).put(new byte[]{1, 2, 3}).array();
                raw.writer.write(new Frame(MessageType.CHUNK_PACKED, payload));
                assertThat(raw.goodbye()).contains("a CHUNK_PACKED message on a connection at protocol version 2");
            }
        }
    }

    /** A TLS client speaking frames by hand, to send what a Strata peer never would. */
    static final class RawPeer implements AutoCloseable {
        final SSLSocket socket;
        final OutputStream out;
        final InputStream in;
        final FrameWriter writer;
        final DeviceIdentity me;

        private RawPeer(SSLSocket socket, DeviceIdentity me) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            this.writer = new FrameWriter(out);
            this.me = me;
        }

        static RawPeer connect(DeviceIdentity me, TestDevice to) throws IOException {
            TlsContext tls = new TlsContext(me, new PinnedTrustManager(() -> Set.of(to.id()), (id, from, why) -> { }));
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), to.port());
            SSLSocket s = tls.client(plain, "127.0.0.1", to.port());
            s.setSoTimeout(20_000);
            s.startHandshake();
            return new RawPeer(s, me);
        }

        void hello() throws IOException {
            writer.write(new Hello(1, 1, me.id(), "raw").encode());
            Frame theirs = new FrameReader(in, WireLimits.BEFORE_HELLO).read();
            assertThat(theirs.type()).isEqualTo(MessageType.HELLO);
        }

        /** Reads until the peer's goodbye; its reason. */
        String goodbye() throws IOException {
            FrameReader r = new FrameReader(in, WireLimits.AFTER_HELLO);
            for (Frame f = r.read(); f != null; f = r.read()) {
                if (f.type() == MessageType.GOODBYE) {
                    return Goodbye.decode(f).reason();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
