package dev.strata.sync.trust;

import dev.strata.sync.identity.DeviceId;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Accepts exactly the certificates whose SHA-256 is the device ID of an added peer, whichever side
 * presents it; no certificate authority, no names, no dates (the hash pins the very certificate, and
 * possession of its key is what the TLS handshake proves). Every refusal is reported with the ID the
 * certificate stands for. Extends the extended manager so that the JDK adds no host name checks of
 * its own. Thread-safe if {@code trusted} is.
 */
public final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final Supplier<Set<DeviceId>> trusted;
    private final RefusalListener listener;

    /** @param trusted the added peers' IDs, asked at every handshake so that an added or removed peer counts at once */
    public PinnedTrustManager(Supplier<Set<DeviceId>> trusted, RefusalListener listener) {
        this.trusted = trusted;
        this.listener = listener;
    }

    /** The device ID of an accepted chain's certificate. */
    public static DeviceId deviceOf(java.security.cert.Certificate[] chain) {
        return DeviceId.of((X509Certificate) chain[0]);
    }

    private void check(X509Certificate[] chain, String from) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the other side presented no certificate");
        }
        DeviceId presented = DeviceId.of(chain[0]);
        if (!trusted.get().contains(presented)) {
            String why = "device " + presented + " is not an added peer";
            listener.refused(presented, from, why);
            throw new CertificateException(why);
        }
    }

    private static String address(Socket socket) {
        SocketAddress a = socket == null ? null : socket.getRemoteSocketAddress();
        return a == null ? "?" : a.toString().replaceFirst("^[^/]*/", "");
    }

    private static String address(SSLEngine engine) {
        return engine == null || engine.getPeerHost() == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, address(socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, address(socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, address(engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, address(engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "?");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "?");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // No authorities: the certificate request names none, and a client sends its one certificate.
        return new X509Certificate[0];
    }
}
