package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.peer.Peer;
import dev.strata.sync.peer.PeerAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps one peer connected: dials it whenever no connection to it is up, waiting longer after each
 * failure in a row ({@link Backoff}), and logs a failure when its reason changes rather than at every
 * attempt. Runs on a thread of its own. Thread-safe.
 */
final class Dialer implements AutoCloseable {
    private static final long CONNECTED_CHECK_MILLIS = 250;
    private final DeviceId peer;
    private final Handshake handshake;
    private final ConnectionManager manager;
    private final Supplier<Set<DeviceId>> allowed;
    private final SyncLog log;
    private final Backoff backoff;
    private final Thread thread;
    private volatile PeerAddress address;
    private volatile boolean closed;
    private String lastFailure;

    Dialer(Peer peer, Handshake handshake, ConnectionManager manager, Supplier<Set<DeviceId>> allowed, SyncLog log, Timings timings) {
        this.peer = peer.id();
        this.address = peer.address();
        this.handshake = handshake;
        this.manager = manager;
        this.allowed = allowed;
        this.log = log;
        this.backoff = new Backoff(timings.backoffFirst(), timings.backoffMax(), new Random());
        this.thread = ConnectionManager.daemon(this::loop, "strata-sync-dial-" + this.peer.shortString());
        thread.start();
    }

    /** The peer was added again with another address: dial that one, at once. */
    void moveTo(PeerAddress newAddress) {
        if (!newAddress.equals(address)) {
            address = newAddress;
            synchronized (this) {
                backoff.reset();
                notifyAll();
            }
        }
    }

    private void loop() {
        while (!closed) {
            if (manager.isConnected(peer)) {
                pause(Duration.ofMillis(CONNECTED_CHECK_MILLIS));
                continue;
            }
            PeerAddress at = address;
            try {
                InetSocketAddress resolved = at.resolve();
                if (resolved.isUnresolved()) {
                    throw new IOException("cannot resolve " + at.host());
                }
                PeerConnection c = handshake.dial(resolved, peer);
                lastFailure = null;
                synchronized (this) {
                    backoff.reset();
                }
                manager.register(c, allowed.get());
                continue;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                String why = "dialling " + at + " failed: " + e.getMessage();
                manager.failed(peer, why);
                if (!why.equals(lastFailure)) {
                    lastFailure = why;
                    log.info("peer " + peer.shortString() + ": " + why + " (trying again, less and less often)");
                }
            }
            Duration wait;
            synchronized (this) {
                wait = backoff.next();
            }
            pause(wait);
        }
    }

    private synchronized void pause(Duration d) {
        try {
            wait(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
