package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The connections of a device, at most one per peer: registers each new one (when two come up at once,
 * because both sides dialled, both keep the one dialled by the device with the smaller ID), starts its
 * reading, keeps it alive with pings, ends it when the peer stops reading, and remembers per peer
 * what the status shows. Requests to a peer go through {@link #ask}, which carries them over a tie.
 * Thread-safe.
 */
public final class ConnectionManager implements PeerRequests, AutoCloseable {
    private final DeviceId me;
    private final SyncLog log;
    private final Timings timings;
    private final Clock clock;
    private final Function<PeerConnection, RequestHandler> handlers;
    private final Runnable changed;
    private final Map<DeviceId, PeerConnection> current = new HashMap<>();
    private final Map<DeviceId, PeerState> states = new HashMap<>();
    private final ScheduledExecutorService keepalive;
    private final ExecutorService pings;
    private boolean closed;

    /**
     * @param handlers makes the handler of what a peer asks, per connection
     * @param changed  told after every change of a peer's state (to publish the status)
     */
    public ConnectionManager(DeviceId me, SyncLog log, Timings timings, Clock clock, Function<PeerConnection, RequestHandler> handlers,
                             Runnable changed) {
        this.me = me;
        this.log = log;
        this.timings = timings;
        this.clock = clock;
        this.handlers = handlers;
        this.changed = changed;
        this.keepalive = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-sync-keepalive"));
        this.pings = Executors.newCachedThreadPool(r -> daemon(r, "strata-sync-ping"));
        long tick = Math.max(100, Math.min(1000, timings.ping().toMillis() / 4));
        keepalive.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Takes a connection that completed its handshake: keeps it (and starts reading from it) unless
     * {@code allowed} no longer holds its peer or a connection to the peer that wins the tie is already
     * there. Returns whether it was kept.
     */
    public boolean register(PeerConnection c, Set<DeviceId> allowed) {
        PeerConnection loser;
        synchronized (this) {
            if (closed) {
                loser = c;
            } else if (!allowed.contains(c.peer())) {
                loser = c;
            } else {
                PeerConnection old = current.get(c.peer());
                if (old != null && old.isOpen() && !winsOver(c, old)) {
                    loser = c;
                } else {
                    loser = old;
                    current.put(c.peer(), c);
                    states.put(c.peer(), new PeerState(c.peer(), true, c.since(), c.direction(), c.remote(), c.peerName(), null, null));
                    notifyAll(); // an exchange may be waiting for the connection that takes the place of one superseded
                }
            }
        }
        if (loser == c) {
            if (closed) {
                c.close("stopping");
            } else if (!allowed.contains(c.peer())) {
                c.close("removed as a peer");
            } else {
                c.supersede();
            }
            return false;
        }
        if (loser != null) {
            loser.supersede();
        }
        log.info("connected to " + c.peer() + " (" + c.peerName() + ", " + c.direction().name().toLowerCase(java.util.Locale.ROOT)
                + ", " + c.remote() + ", protocol " + c.version() + ")");
        c.start(handlers.apply(c), this::ended);
        changed.run();
        return true;
    }

    /** Of two connections between the same devices, the one dialled by the device with the smaller ID. */
    private boolean winsOver(PeerConnection candidate, PeerConnection old) {
        boolean iAmSmaller = me.compareTo(candidate.peer()) < 0;
        PeerConnection.Direction smallerDials = iAmSmaller ? PeerConnection.Direction.OUTBOUND : PeerConnection.Direction.INBOUND;
        return candidate.direction() == smallerDials && old.direction() != smallerDials;
    }

    private void ended(PeerConnection c) {
        synchronized (this) {
            if (current.get(c.peer()) != c) {
                return; // a duplicate that lost the tie, or one already replaced
            }
            current.remove(c.peer());
            states.put(c.peer(), new PeerState(c.peer(), false, null, null, null, c.peerName(), c.endReason(), clock.instant()));
        }
        log.info("disconnected from " + c.peer().shortString() + ": " + c.endReason());
        changed.run();
    }

    /** Notes a failed attempt to reach {@code peer}, for the status. */
    public void failed(DeviceId peer, String why) {
        synchronized (this) {
            PeerState s = states.get(peer);
            if (s != null && s.connected()) {
                return;
            }
            states.put(peer, new PeerState(peer, false, null, null, null, s == null ? null : s.name(), why, clock.instant()));
        }
        changed.run();
    }

    /**
     * The open connection to {@code peer}: for what belongs to that connection alone (its status, the
     * streams a handler serves on it). A request sent on it ends with it if it loses a tie: ask through
     * {@link #ask} instead.
     */
    public synchronized Optional<PeerConnection> connection(DeviceId peer) {
        PeerConnection c = current.get(peer);
        return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
    }

    @Override
    public synchronized boolean isConnected(DeviceId peer) {
        return connection(peer).isPresent();
    }

    /**
     * {@inheritDoc}
     * <p>
     * The connection that takes the place of a superseded one is complete at the side that superseded
     * it; here it may still be in its handshake, so the exchange waits for it up to the handshake
     * timeout. Each run is on a newer connection, and the connection that wins a tie is never
     * superseded while it is open, so the runs end (usually a tie costs one more).
     */
    @Override
    public <T> T ask(DeviceId peer, Exchange<T> exchange) throws IOException {
        PeerConnection c = connection(peer).orElseThrow(() -> new IOException("device " + peer.shortString() + " is not connected"));
        while (true) {
            try {
                return exchange.on(c);
            } catch (IOException e) {
                if (!c.superseded()) {
                    throw e;
                }
                PeerConnection next = successor(c, timings.handshake());
                if (next == null) {
                    IOException none = new IOException("the connection to " + peer.shortString() + " was superseded by another,"
                            + " and none took its place within " + timings.handshake().toSeconds() + " s");
                    none.addSuppressed(e);
                    throw none;
                }
                c = next;
            }
        }
    }

    /** The open connection to {@code ended}'s peer that took its place, waiting up to {@code wait}; null if none. */
    private synchronized PeerConnection successor(PeerConnection ended, Duration wait) throws InterruptedIOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            PeerConnection c = current.get(ended.peer());
            if (c != null && c != ended && c.isOpen()) {
                return c;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return null;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for a connection to " + ended.peer().shortString());
            }
        }
    }

    /** Waits until {@code peer} is connected; false if it is not within {@code timeout}. */
    public boolean awaitConnected(DeviceId peer, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isConnected(peer)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The state of every peer seen so far. */
    public synchronized Map<DeviceId, PeerState> states() {
        return Map.copyOf(states);
    }

    /** Ends the connection to a peer that was removed, and forgets its state. */
    public void forget(DeviceId peer, String reason) {
        PeerConnection c;
        synchronized (this) {
            c = current.remove(peer);
            states.remove(peer);
        }
        if (c != null) {
            c.close(reason);
            log.info("disconnected from " + peer.shortString() + ": " + reason);
        }
        changed.run();
    }

    private void tick() {
        List<PeerConnection> live;
        synchronized (this) {
            live = List.copyOf(current.values());
        }
        for (PeerConnection c : live) {
            Duration stuck = c.writeStuckFor();
            if (stuck.compareTo(timings.idle()) > 0) {
                c.abort("the peer has not read what this device sent for " + stuck.toSeconds() + " s");
            } else if (stuck.isZero()) {
                pings.execute(() -> c.pingIfQuiet(timings.ping()));
            }
        }
    }

    /** Says goodbye on every connection and stops keeping them alive. Idempotent. */
    @Override
    public void close() {
        List<PeerConnection> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(current.values());
            notifyAll();
        }
        keepalive.shutdownNow();
        for (PeerConnection c : all) {
            c.close("stopping");
        }
        pings.shutdownNow();
    }
}
