package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Accepts connections on the listening address and hands each to a small pool for its handshake, so
 * that a slow or silent client never holds up the next; at most 8 handshakes run and 32 wait, more are
 * closed at once. Thread-safe.
 */
final class Listener implements AutoCloseable {
    private final ServerSocket server;
    private final Handshake handshake;
    private final ConnectionManager manager;
    private final Supplier<Set<DeviceId>> allowed;
    private final SyncLog log;
    private final ThreadPoolExecutor handshakes;
    private final Thread acceptor;
    private volatile boolean closed;

    Listener(InetSocketAddress address, Handshake handshake, ConnectionManager manager, Supplier<Set<DeviceId>> allowed, SyncLog log)
            throws IOException {
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 64);
        } catch (IOException e) {
            server.close();
            String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
            throw new IOException("cannot listen on " + host + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
        this.handshake = handshake;
        this.manager = manager;
        this.allowed = allowed;
        this.log = log;
        this.handshakes = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
                r -> ConnectionManager.daemon(r, "strata-sync-handshake"));
        handshakes.allowCoreThreadTimeOut(true);
        this.acceptor = ConnectionManager.daemon(this::acceptLoop, "strata-sync-accept");
        acceptor.start();
    }

    /** The address actually bound (its port, if 0 was asked for). */
    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.info("accepting connections failed: " + e.getMessage());
                    pauseAfterFailure();
                }
                continue;
            }
            try {
                handshakes.execute(() -> complete(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
            }
        }
    }

    /** Out of file descriptors, say: a moment's pause rather than a loop that fills the log. */
    private static void pauseAfterFailure() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(Socket s) {
        String from = s.getInetAddress().getHostAddress() + ":" + s.getPort();
        try {
            manager.register(handshake.accept(s), allowed.get());
        } catch (IOException | RuntimeException e) {
            // A refused certificate was logged by the trust manager, with the ID it stood for.
            if (!closed && !Handshake.refusedHere(e)) {
                log.info("connection from " + from + " failed: " + e.getMessage());
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Refused for lack of room; nothing more to do.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing: nothing more to do.
        }
        handshakes.shutdownNow();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
