package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.trust.PinnedTrustManager;
import dev.strata.sync.trust.RefusalListener;
import dev.strata.sync.trust.TlsContext;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.FrameReader;
import dev.strata.sync.wire.FrameWriter;
import dev.strata.sync.wire.Goodbye;
import dev.strata.sync.wire.Hello;
import dev.strata.sync.wire.MessageType;
import dev.strata.sync.wire.WireLimits;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a TCP connection into a {@link PeerConnection}: the TLS 1.3 handshake (in which the pinning
 * trust manager judges the other side's certificate), then both hellos, which must name the device the
 * certificate stands for and share a protocol version. Everything is bounded by the handshake timeout.
 * Stateless.
 */
final class Handshake {
    private final TlsContext tls;
    private final Hello mine;
    private final Timings timings;
    private final Clock clock;
    private final Supplier<Set<DeviceId>> allowed;
    private final RefusalListener refusals;

    Handshake(TlsContext tls, Hello mine, Timings timings, Clock clock, Supplier<Set<DeviceId>> allowed, RefusalListener refusals) {
        this.tls = tls;
        this.mine = mine;
        this.timings = timings;
        this.clock = clock;
        this.allowed = allowed;
        this.refusals = refusals;
    }

    /** Dials {@code address}, expecting device {@code expected} there. */
    PeerConnection dial(InetSocketAddress address, DeviceId expected) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(address, (int) timings.connect().toMillis());
            SSLSocket s = tls.client(raw, address.getHostString(), address.getPort());
            PeerConnection c = finish(raw, s, PeerConnection.Direction.OUTBOUND, remoteOf(raw));
            if (!c.peer().equals(expected)) {
                c.close("this device dialled " + expected + ", not " + c.peer());
                throw new IOException(address.getHostString() + ":" + address.getPort() + " is device " + c.peer()
                        + ", not the peer added at that address");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Completes a connection a peer made to the listening socket. */
    PeerConnection accept(Socket raw) throws IOException {
        try {
            return finish(raw, tls.server(raw), PeerConnection.Direction.INBOUND, remoteOf(raw));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private PeerConnection finish(Socket raw, SSLSocket s, PeerConnection.Direction direction, String remote) throws IOException {
        s.setSoTimeout((int) timings.handshake().toMillis());
        DeviceId peer;
        try {
            s.startHandshake();
            // A resumed TLS session skips the trust manager: a peer removed since its first handshake
            // would get back in. So no session is kept for resuming, and the pin is checked here again.
            s.getSession().invalidate();
            peer = PinnedTrustManager.deviceOf(s.getSession().getPeerCertificates());
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("the TLS handshake with " + remote + " took longer than " + timings.handshake().toSeconds() + " s");
        }
        FrameReader reader = new FrameReader(new BufferedInputStream(s.getInputStream(), 64 << 10), WireLimits.BEFORE_HELLO);
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(s.getOutputStream(), 64 << 10));
        if (!allowed.get().contains(peer)) {
            String why = "device " + peer + " is not an added peer";
            refusals.refused(peer, remote, why);
            goodbye(raw, writer, "this device has not added device " + peer);
            throw new IOException(why, new CertificateException(why));
        }
        Hello theirs;
        try {
            writer.write(mine.encode());
            Frame first = reader.read();
            if (first == null) {
                throw new IOException(remote + " closed the connection before its hello");
            }
            if (first.type() == MessageType.GOODBYE) {
                throw new IOException(remote + " ended the connection: " + Goodbye.decode(first).reason());
            }
            theirs = Hello.decode(first);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no hello from " + remote + " within " + timings.handshake().toSeconds() + " s");
        } catch (SSLException e) {
            // TLS 1.3 judges the client's certificate after the client's side of the handshake: a
            // server that refuses this device says so here, with an alert.
            if (isRefusal(e) && direction == PeerConnection.Direction.OUTBOUND) {
                throw new IOException("device " + peer.shortString() + " at " + remote + " refused this device's certificate: it has "
                        + "not added this device (" + mine.device() + ")", e);
            }
            throw e;
        }
        if (!theirs.device().equals(peer)) {
            goodbye(raw, writer, "the hello names another device than the certificate");
            throw new FrameException("the hello from " + remote + " names device " + theirs.device() + " but its certificate is "
                    + peer);
        }
        int version = mine.agree(theirs);
        if (version < 0) {
            String why = "no common protocol version: this device speaks " + mine.minVersion() + ".." + mine.maxVersion()
                    + ", the peer " + theirs.minVersion() + ".." + theirs.maxVersion();
            goodbye(raw, writer, why);
            throw new IOException(why);
        }
        reader.limit(WireLimits.AFTER_HELLO);
        s.setSoTimeout((int) timings.idle().toMillis());
        return new PeerConnection(raw, reader, writer, peer, theirs.name(), version, direction, remote, clock.instant(),
                timings.idle());
    }

    /** Says why before the caller closes: the goodbye, then a FIN so that a close does not reset it away. */
    private static void goodbye(Socket raw, FrameWriter writer, String why) {
        try {
            if (writer.tryWrite(new Goodbye(why).encode(), 1000)) {
                raw.shutdownOutput();
            }
        } catch (IOException e) {
            // The caller closes the connection anyway.
        }
    }

    /** Whether the handshake failed because the other side refused this device's certificate. */
    static boolean isRefusal(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("certificate_unknown") || m.contains("bad_certificate") || m.contains("unsupported_certificate");
    }

    /** Whether the handshake failed because this side's trust manager refused the other's certificate. */
    static boolean refusedHere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static String remoteOf(Socket raw) {
        return raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
    }
}
