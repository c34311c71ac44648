package dev.strata.sync.trust;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.identity.DeviceIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real TLS handshakes over loopback between identities that have, or have not, added each other. */
@Timeout(60)
class PinnedTrustManagerTest {
    private static final DeviceIdentity ANA = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
    private static final DeviceIdentity BOB = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private SSLServerSocket server;

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void peersThatAddedEachOther_connectWithTls13_andSeeEachOthersId() throws Exception {
        Handshake h = handshake(ANA, Set.of(BOB.id()), BOB, Set.of(ANA.id()));
        assertThat(h.serverSaw()).isEqualTo(BOB.id());
        assertThat(h.clientSaw()).isEqualTo(ANA.id());
        assertThat(h.protocol()).isEqualTo("TLSv1.3");
        assertThat(refusals).isEmpty();
    }

    @Test
    void aClientNotAdded_isRefused_andTheRefusalNamesItsId() throws Exception {
        DeviceIdentity eve = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        assertThatThrownBy(() -> handshake(ANA, Set.of(BOB.id()), eve, Set.of(ANA.id()))).isInstanceOf(IOException.class);
        assertThat(refusals).singleElement().asString().startsWith("server refused " + eve.id() + " from 127.0.0.1:")
                .endsWith("device " + eve.id() + " is not an added peer");
    }

    @Test
    void aServerNotAdded_isRefusedByTheClient() throws Exception {
        DeviceIdentity eve = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        assertThatThrownBy(() -> handshake(eve, Set.of(BOB.id()), BOB, Set.of(ANA.id()))).isInstanceOf(IOException.class);
        assertThat(refusals).anyMatch(r -> r.startsWith("client refused " + eve.id()));
    }

    @Test
    void aForgedCertificate_sameSubjectOtherKey_isRefused() throws Exception {
        DeviceIdentity forged = DeviceIdentity.generate(BOB.certificate().getSubjectX500Principal().getName(), Clock.systemUTC());
        assertThat(forged.certificate().getSubjectX500Principal()).isEqualTo(BOB.certificate().getSubjectX500Principal());
        assertThatThrownBy(() -> handshake(ANA, Set.of(BOB.id()), forged, Set.of(ANA.id()))).isInstanceOf(IOException.class);
        assertThat(refusals).singleElement().asString().contains("refused " + forged.id());
    }

    @Test
    void anOlderProtocol_isNotSpoken() throws Exception {
        server = new TlsContext(ANA, trusting(Set.of(BOB.id()), "server")).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CompletableFuture<Void> accept = CompletableFuture.runAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
            } catch (IOException e) {
                // expected: the client offers TLS 1.2 only
            }
        });
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, null, null);
        try (SSLSocket c = (SSLSocket) tls12.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            c.setEnabledProtocols(new String[]{"TLSv1.2"});
            assertThatThrownBy(c::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        accept.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aPeerAddedWhileListening_isAcceptedAtItsNextHandshake() throws Exception {
        Set<DeviceId> anaTrusts = new java.util.concurrent.CopyOnWriteArraySet<>();
        assertThatThrownBy(() -> handshake(ANA, anaTrusts, BOB, Set.of(ANA.id()))).isInstanceOf(IOException.class);
        anaTrusts.add(BOB.id());
        assertThat(handshake(ANA, anaTrusts, BOB, Set.of(ANA.id())).serverSaw()).isEqualTo(BOB.id());
    }

    private record Handshake(DeviceId serverSaw, DeviceId clientSaw, String protocol) {
    }

    private Handshake handshake(DeviceIdentity serverId, Set<DeviceId> serverTrusts, DeviceIdentity clientId,
                                Set<DeviceId> clientTrusts) throws Exception {
        if (server != null) {
            server.close();
        }
        server = new TlsContext(serverId, trusting(serverTrusts, "server")).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CompletableFuture<DeviceId> accepted = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
                DeviceId saw = PinnedTrustManager.deviceOf(s.getSession().getPeerCertificates());
                s.getOutputStream().write(1);
                s.getOutputStream().flush();
                return saw;
            } catch (IOException e) {
                return null;
            }
        });
        TlsContext client = new TlsContext(clientId, trusting(clientTrusts, "client"));
        Socket plain = new Socket();
        plain.connect(server.getLocalSocketAddress(), 5000);
        try (SSLSocket s = client.client(plain, "127.0.0.1", server.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            // In TLS 1.3 the server judges the client's certificate after the client's handshake is
            // done: the refusal arrives with the first read.
            if (s.getInputStream().read() != 1) {
                throw new IOException("the server closed the connection");
            }
            DeviceId clientSaw = PinnedTrustManager.deviceOf(s.getSession().getPeerCertificates());
            return new Handshake(accepted.get(30, TimeUnit.SECONDS), clientSaw, s.getSession().getProtocol());
        } finally {
            accepted.get(30, TimeUnit.SECONDS);
        }
    }

    private PinnedTrustManager trusting(Set<DeviceId> ids, String side) {
        return new PinnedTrustManager(() -> ids, (id, from, why) -> refusals.add(side + " refused " + id + " from " + from + ": " + why));
    }
}
