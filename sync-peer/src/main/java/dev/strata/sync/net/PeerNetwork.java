package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.peer.Peer;
import dev.strata.sync.trust.PinnedTrustManager;
import dev.strata.sync.trust.RefusalListener;
import dev.strata.sync.trust.TlsContext;
import dev.strata.sync.wire.Hello;
import dev.strata.sync.wire.WireLimits;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A device on the network: listens for its peers, dials each added peer and keeps it connected, and
 * follows changes of the peer list (a new peer is dialled, a removed one disconnected, a moved one
 * dialled at its new address). Thread-safe.
 */
public final class PeerNetwork implements AutoCloseable {
    private final Handshake handshake;
    private final ConnectionManager manager;
    private final Supplier<Set<DeviceId>> allowed;
    private final SyncLog log;
    private final Timings timings;
    private final Listener listener;
    private final Map<DeviceId, Dialer> dialers = new HashMap<>();
    private boolean closed;

    /**
     * @param allowed  the added peers' IDs (asked at every handshake)
     * @param listen   where to listen (port 0: any free port), or null not to listen
     * @param handlers the handler of what a peer asks, made per connection
     * @param changed  told after every change of a peer's state
     */
    public PeerNetwork(DeviceIdentity identity, String name, Supplier<Set<DeviceId>> allowed, InetSocketAddress listen,
                       Timings timings, Clock clock, SyncLog log, Function<PeerConnection, RequestHandler> handlers,
                       Runnable changed) throws IOException {
        this(identity, name, allowed, listen, timings, clock, log, handlers, changed, WireLimits.MAX_VERSION);
    }

    /** As the public constructor, speaking protocol versions up to {@code maxVersion} only: an older build, for tests. */
    PeerNetwork(DeviceIdentity identity, String name, Supplier<Set<DeviceId>> allowed, InetSocketAddress listen,
                Timings timings, Clock clock, SyncLog log, Function<PeerConnection, RequestHandler> handlers,
                Runnable changed, int maxVersion) throws IOException {
        this.allowed = allowed;
        this.log = log;
        this.timings = timings;
        RefusalListener refusals = (id, from, why) -> log.info("refused a connection with " + from + ": " + why
                + " (it presented device ID " + id + ")");
        TlsContext tls = new TlsContext(identity, new PinnedTrustManager(allowed, refusals));
        Hello hello = new Hello(WireLimits.MIN_VERSION, maxVersion, identity.id(), name);
        this.handshake = new Handshake(tls, hello, timings, clock, allowed, refusals);
        this.manager = new ConnectionManager(identity.id(), log, timings, clock, handlers, changed);
        try {
            this.listener = listen == null ? null : new Listener(listen, handshake, manager, allowed, log);
        } catch (IOException e) {
            manager.close();
            throw e;
        }
    }

    /** The address listened on, or null. */
    public InetSocketAddress listening() {
        return listener == null ? null : listener.address();
    }

    public ConnectionManager connections() {
        return manager;
    }

    /** Dials the peers of {@code peers} not dialled yet, stops dialling and disconnects the others. */
    public synchronized void follow(List<Peer> peers) {
        if (closed) {
            return;
        }
        Map<DeviceId, Peer> wanted = new HashMap<>();
        peers.forEach(p -> wanted.put(p.id(), p));
        for (var it = dialers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
                log.info("peer " + e.getKey() + " was removed: its connections are refused from now on");
                manager.forget(e.getKey(), "removed as a peer");
            }
        }
        for (Peer p : peers) {
            Dialer d = dialers.get(p.id());
            if (d == null) {
                dialers.put(p.id(), new Dialer(p, handshake, manager, allowed, log, timings));
            } else {
                d.moveTo(p.address());
            }
        }
    }

    /** Stops listening and dialling, and says goodbye on every connection. Idempotent. */
    @Override
    public void close() {
        List<Dialer> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(dialers.values());
            dialers.clear();
        }
        if (listener != null) {
            listener.close();
        }
        all.forEach(Dialer::close);
        manager.close();
    }
}
