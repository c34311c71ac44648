package dev.strata.core.backend.s3;

import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * The TLS of a client whose endpoint is plain {@code http://}, made the first time a connection needs it
 * (a proxy reached over https) instead of when the client is built. The HTTP client otherwise builds its
 * TLS context at start, and with it parses the JDK's trusted certificates: about 0.17 s of CPU in a
 * starting JVM that a command on a local S3 server never uses. When made, it is the system's default
 * (the {@code javax.net.ssl} properties, the JDK's trusted certificates, host names verified).
 * Thread-safe.
 */
final class DeferredTls implements TlsSocketStrategy {
    private volatile TlsSocketStrategy made;

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        return strategy().upgrade(socket, target, port, attachment, context);
    }

    /** Whether a connection has needed TLS yet. */
    boolean isMade() {
        return made != null;
    }

    private TlsSocketStrategy strategy() {
        TlsSocketStrategy s = made;
        if (s == null) {
            synchronized (this) {
                s = made;
                if (s == null) {
                    s = DefaultClientTlsStrategy.createSystemDefault();
                    made = s;
                }
            }
        }
        return s;
    }
}
