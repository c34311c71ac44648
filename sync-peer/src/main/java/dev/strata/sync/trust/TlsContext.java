package dev.strata.sync.trust;

import dev.strata.sync.identity.DeviceIdentity;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The JDK's TLS set up for peers: TLS 1.3 only (no older protocol is enabled, so a downgrade has
 * nothing to fall back to), this device's certificate on both sides, the pinning trust manager, and
 * a client certificate required by the listening side. Thread-safe.
 */
public final class TlsContext {
    public static final String PROTOCOL = "TLSv1.3";
    private final SSLContext context;

    public TlsContext(DeviceIdentity identity, PinnedTrustManager trust) {
        try {
            context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[]{new DeviceKeyManager(identity)}, new TrustManager[]{trust}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot set up " + PROTOCOL, e);
        }
    }

    /**
     * A listening socket bound to {@code address} whose accepted connections demand a client
     * certificate. The tests' handshakes use it; a running node listens on plain TCP and calls
     * {@link #server} on each accepted socket, so that the handshake runs off the accepting thread.
     */
    public SSLServerSocket listen(InetSocketAddress address) throws IOException {
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 64);
            s.setEnabledProtocols(new String[]{PROTOCOL});
            s.setNeedClientAuth(true);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The server side of TLS over a plain socket accepted from a listening socket; demands a client certificate. */
    public SSLSocket server(java.net.Socket accepted) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[]{PROTOCOL});
        s.setNeedClientAuth(true);
        return s;
    }

    /** A client socket with the TLS settings, over a connected plain socket. */
    public SSLSocket client(java.net.Socket connected, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        s.setUseClientMode(true);
        s.setEnabledProtocols(new String[]{PROTOCOL});
        return s;
    }
}
