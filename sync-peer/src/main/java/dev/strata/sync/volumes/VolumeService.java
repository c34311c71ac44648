package dev.strata.sync.volumes;

import dev.strata.sync.chunks.ChunkSender;
import dev.strata.sync.chunks.OfferWindow;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.PeerRequests;
import dev.strata.sync.net.RequestHandler;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.MessageType;
import dev.strata.sync.wire.SpaceId;
import dev.strata.sync.wire.VolumeMessages;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shared volumes a device serves on its connections (docs/sync.md, "Volume messages"): at each
 * new connection it asks the peer for the records of every volume they share from its resume point;
 * it sends each peer that asks the records it has, their chunks first, and then new ones as they come
 * (a thread per connection, looking every {@link #POLL}); it applies what peers send; and it answers a
 * joining peer's request for a volume's keys. Thread-safe.
 */
public final class VolumeService implements AutoCloseable {
    /** How often a connection's sender looks for new records: within it, a change is on its way. */
    static final Duration POLL = Duration.ofMillis(50);
    /**
     * Batches of records a sender keeps in flight for one volume before it lets the next volume have a
     * turn: their chunks travel together, so only the turn's end waits for the peer to store.
     */
    static final int BATCHES_PER_TURN = 16;
    /** How long a batch stopped at an open file waits before it is asked for again. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final Map<SpaceId, SharedVolume> volumes = new ConcurrentHashMap<>();
    private final Map<PeerConnection, Sender> senders = new ConcurrentHashMap<>();
    /** Per connection, the volumes of which this side holds every record the peer has. */
    private final Map<PeerConnection, java.util.Set<SpaceId>> caughtUp = new ConcurrentHashMap<>();
    /** Asks for volumes this device did not hold yet (a join under way): served once they are added. */
    private final Map<SpaceId, Map<PeerConnection, Long>> pending = new ConcurrentHashMap<>();
    private final ChunkSpaces spaces;
    private final KeysDirectory keys;
    private final SyncLog log;
    private final Duration answerTimeout;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-sync-volumes");
        t.setDaemon(true);
        return t;
    });

    /** @param keys answers joining peers; null: this device gives no keys */
    public VolumeService(ChunkSpaces spaces, KeysDirectory keys, SyncLog log, Duration answerTimeout) {
        this.spaces = spaces;
        this.keys = keys;
        this.log = log;
        this.answerTimeout = answerTimeout;
    }

    /** Serves {@code v}: its chunk space to the devices it is shared with, its records to them, and asks connected ones for theirs. */
    public void add(SharedVolume v) {
        volumes.put(v.id(), v);
        spaces.add(v.space(), v::sharedWith);
        for (PeerConnection c : senders.keySet()) {
            askFor(c, v);
        }
        Map<PeerConnection, Long> waiting = pending.remove(v.id());
        if (waiting != null) {
            waiting.forEach((c, since) -> {
                Sender s = senders.get(c);
                if (s != null && v.sharedWith(c.peer())) {
                    s.from(v, since);
                }
            });
        }
    }

    public Optional<SharedVolume> volume(SpaceId id) {
        return Optional.ofNullable(volumes.get(id));
    }

    public List<SharedVolume> volumes() {
        return List.copyOf(volumes.values());
    }

    /** The handler of volume messages on a new connection; asks the peer for the records of the volumes they share. */
    public RequestHandler handler(PeerConnection c) {
        Sender s = new Sender(c);
        senders.put(c, s);
        s.start();
        for (SharedVolume v : volumes.values()) {
            askFor(c, v);
        }
        return new Handler(new RecordApplier("strata-sync-apply-" + c.peer().shortString()));
    }

    private void askFor(PeerConnection c, SharedVolume v) {
        if (!v.sharedWith(c.peer()) || !c.isOpen()) {
            return;
        }
        later.execute(() -> {
            try {
                c.send(new VolumeMessages.RecordsWanted(v.id(), v.askFrom(c.peer())).encode());
            } catch (IOException e) {
                log.info("volume " + v.name() + ": asking " + c.peer().shortString() + " for records failed: " + e.getMessage());
            }
        });
    }

    /**
     * What a peer sends on one connection: read on its reader thread, records applied in order on the
     * connection's {@link RecordApplier}, so that the reader takes the next batch's chunks meanwhile.
     */
    private final class Handler implements RequestHandler {
        private final RecordApplier applier;

        Handler(RecordApplier applier) {
            this.applier = applier;
        }

        @Override
        public void handle(PeerConnection c, Frame f) throws IOException {
            switch (f.type()) {
                case RECORDS_WANTED -> wanted(c, VolumeMessages.RecordsWanted.decode(f));
                case RECORDS -> {
                    VolumeMessages.Records m = VolumeMessages.Records.decode(f);
                    applier.submit(() -> apply(c, m));
                }
                case KEYS_REQUEST -> keys(c, VolumeMessages.KeysRequest.decode(f));
                default -> throw new FrameException("a " + f.type() + " message this device does not serve");
            }
        }

        @Override
        public void closed(PeerConnection c) {
            // Records not applied yet are asked for again at the next connection: the resume point did not pass them.
            applier.close();
            Sender s = senders.remove(c);
            if (s != null) {
                s.stop();
            }
            pending.values().forEach(m -> m.remove(c));
            caughtUp.remove(c);
        }
    }

    private void wanted(PeerConnection c, VolumeMessages.RecordsWanted w) {
        SharedVolume v = volumes.get(w.volume());
        if (v == null) {
            // Perhaps a volume this device is joining: served when it is added.
            pending.computeIfAbsent(w.volume(), k -> new ConcurrentHashMap<>()).put(c, w.since());
            return;
        }
        if (!v.sharedWith(c.peer())) {
            log.info("refused the records of volume " + w.volume() + " to " + c.peer().shortString()
                    + ": it is not shared with that device");
            return;
        }
        Sender s = senders.get(c);
        if (s != null) {
            s.from(v, w.since());
        }
    }

    /** Applies one records message, on the connection's applier; a failure ends the connection, as it did on its reader. */
    private void apply(PeerConnection c, VolumeMessages.Records m) {
        if (!c.isOpen()) {
            return;
        }
        try {
            records(c, m);
        } catch (FrameException e) {
            c.close("malformed message: " + e.getMessage());
        } catch (IOException e) {
            log.info("volume " + m.volume() + ": applying records from " + c.peer().shortString() + " failed: " + e.getMessage());
            c.close("applying the records of volume " + m.volume() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            c.close("internal error: " + e);
        }
    }

    private void records(PeerConnection c, VolumeMessages.Records m) throws IOException {
        SharedVolume v = volumes.get(m.volume());
        if (v == null || !v.sharedWith(c.peer())) {
            log.info("refused records of volume " + m.volume() + " from " + c.peer().shortString()
                    + (v == null ? ": this device holds no such shared volume" : ": it is not shared with that device"));
            return;
        }
        v.peerLatest(c.peer(), m.latest());
        if (m.records().isEmpty()) {
            if (m.through() > v.resumePoint(c.peer())) {
                v.state().syncPeerSequence(c.peer().bytes(), m.through());
            }
            v.passed(c.peer(), m.through(), m.latest());
            caughtUp(c, v, m, true);
            return;
        }
        SharedVolume.Received r = v.receive(c.peer(), m.records(), m.through());
        if (r.complete()) {
            v.passed(c.peer(), m.through(), m.latest());
        }
        caughtUp(c, v, m, r.complete());
        if (r.applied() > 0) {
            log.info("volume " + v.name() + ": applied " + r.applied() + (r.applied() == 1 ? " record" : " records")
                    + " from " + c.peer().shortString() + (r.conflicts() == 0 ? "" : ", " + r.conflicts() + " in conflict"));
        }
        if (!r.complete()) {
            later.schedule(() -> askFor(c, v), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Says once, when this side has taken every record {@code c}'s peer has of {@code v} (its message
     * reached its newest sequence), that it has; again after it fell behind. What a restart costs is
     * measured to this line.
     */
    private void caughtUp(PeerConnection c, SharedVolume v, VolumeMessages.Records m, boolean complete) {
        java.util.Set<SpaceId> set = caughtUp.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet());
        if (!complete || m.through() < m.latest()) {
            set.remove(v.id());
        } else if (set.add(v.id())) {
            log.info("volume " + v.name() + ": has every record of " + c.peer().shortString() + " (its sequence "
                    + m.latest() + ")");
        }
    }

    private void keys(PeerConnection c, VolumeMessages.KeysRequest q) throws IOException {
        if (keys == null) {
            c.send(new ChunkMessages.RequestFailed(q.request(), "this device shares no volumes").encode());
            return;
        }
        KeysDirectory.VolumeKeysPlain k;
        try {
            k = keys.keysFor(q.name(), c.peer());
        } catch (IOException e) {
            log.info("refused the keys of volume '" + q.name() + "' to " + c.peer().shortString() + ": " + e.getMessage());
            c.send(new ChunkMessages.RequestFailed(q.request(), e.getMessage()).encode());
            return;
        }
        log.info("sent the keys of volume '" + k.name() + "' (" + k.volume() + ") to " + c.peer().shortString());
        c.send(new VolumeMessages.Keys(q.request(), k.volume(), k.name(), k.keys()).encode());
    }

    /** The peer answered a request for a volume's keys with a refusal (its reason is the message). */
    public static final class KeysRefused extends IOException {
        KeysRefused(String message) {
            super(message);
        }
    }

    /**
     * Asks {@code peer} for the keys of its volume {@code name}; fails with {@link KeysRefused} if refused.
     * A question carried over to another connection by a tie is served again: answering it only reads.
     */
    public VolumeMessages.Keys askKeys(PeerRequests peers, DeviceId peer, String name) throws IOException {
        return peers.ask(peer, c -> askKeys(c, name));
    }

    private VolumeMessages.Keys askKeys(PeerConnection c, String name) throws IOException {
        try (PeerConnection.Request r = c.request()) {
            c.send(new VolumeMessages.KeysRequest(r.id(), name).encode());
            Frame f = r.await(answerTimeout);
            if (f.type() == MessageType.REQUEST_FAILED) {
                throw new KeysRefused("device " + c.peer().shortString() + " refused: "
                        + ChunkMessages.RequestFailed.decode(f).reason());
            }
            if (f.type() != MessageType.KEYS) {
                throw new FrameException("a " + f.type() + " message in answer to a request for keys");
            }
            return VolumeMessages.Keys.decode(f);
        }
    }

    /**
     * Sends one connection the records its peer asked for: a thread that ends with the connection. Its
     * chunk offers go on that connection, not to the peer: they belong to what the peer asked on it, and
     * when it loses a tie the peer asks the connection that stays for the records again.
     */
    private final class Sender {
        private final PeerConnection c;
        private final Map<SpaceId, Long> cursors = new ConcurrentHashMap<>();
        /** Per volume, what this connection's peer was sent of each path's versions. */
        private final Map<SpaceId, SharedVolume.SentVersions> sentVersions = new java.util.HashMap<>();
        /** When the connection began, in ns since the epoch (the time versions are saved in). */
        private final long startedNanos = epochNanos(java.time.Instant.now());
        /** Volumes asked for that get a message even with nothing to send: the peer learns where this side is. */
        private final java.util.Set<SpaceId> announce = ConcurrentHashMap.newKeySet();
        /** Counts the peer's WANTED messages, so that a turn of pipelined batches ends at a new one. */
        private final java.util.concurrent.atomic.AtomicLong wanted = new java.util.concurrent.atomic.AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;

        Sender(PeerConnection c) {
            this.c = c;
            this.thread = new Thread(this::run, "strata-sync-send-" + c.peer().shortString());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void from(SharedVolume v, long since) {
            cursors.put(v.id(), since);
            wanted.incrementAndGet();
            announce.add(v.id());
            synchronized (this) {
                notifyAll();
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        private void run() {
            try (OfferWindow window = new ChunkSender(answerTimeout).window(c)) {
                while (!stopped && c.isOpen()) {
                    boolean sent = false;
                    for (Map.Entry<SpaceId, Long> e : cursors.entrySet()) {
                        SharedVolume v = volumes.get(e.getKey());
                        if (v == null || !v.sharedWith(c.peer())) {
                            continue;
                        }
                        try {
                            sent |= sendTurn(window, v, e.getKey(), e.getValue());
                        } catch (IOException ex) {
                            if (!stopped && c.isOpen()) {
                                log.info("volume " + v.name() + ": sending records to " + c.peer().shortString() + " failed: "
                                        + ex.getMessage());
                                c.close("sending the records of volume " + v.name() + " failed: " + ex.getMessage());
                            }
                            return;
                        }
                    }
                    if (!sent) {
                        synchronized (this) {
                            try {
                                wait(POLL.toMillis());
                            } catch (InterruptedException ex) {
                                return;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Sends the next batches of {@code v} after {@code since}, each one's chunks first and its records
         * once the peer has stored them: up to {@link #BATCHES_PER_TURN} batches, their chunks in flight
         * together, records in order; returns once all are sent. False if there was none.
         */
        private boolean sendTurn(OfferWindow window, SharedVolume v, SpaceId id, long since) throws IOException {
            long asked = wanted.get();
            long from = since;
            boolean sent = false;
            try {
                // A new WANTED (the peer asks again) ends the turn: the next one starts where it asked.
                for (int n = 0; n < BATCHES_PER_TURN && asked == wanted.get() && c.isOpen(); n++) {
                    long latest = v.sequence();
                    SharedVolume.Outgoing out = v.since(from, sentVersions.computeIfAbsent(id,
                            k -> new SharedVolume.SentVersions(startedNanos)));
                    if (out == null) {
                        if (announce.remove(id)) {
                            c.send(new VolumeMessages.Records(id, from, latest, List.of()).encode());
                        }
                        break;
                    }
                    announce.remove(id);
                    long batchFrom = from;
                    window.offer(v.space(), out.chunks(), report -> {
                        if (!report.refused().isEmpty()) {
                            throw new IOException(report.refused().size() + " chunks were refused by the peer");
                        }
                        c.send(new VolumeMessages.Records(id, out.through(), Math.max(latest, out.through()), out.records()).encode());
                        // A new WANTED meanwhile wins over where this batch ended.
                        cursors.replace(id, batchFrom, out.through());
                    });
                    from = out.through();
                    sent = true;
                }
            } finally {
                window.drain();
            }
            return sent;
        }
    }

    /**
     * Starts the revert of receive-only volume {@code v} asked for at {@code asked} (docs/sync.md,
     * "Modes"): asks every connected peer it is shared with for all its records again. False if no such
     * peer is connected (the revert waits for one).
     */
    public boolean revert(SharedVolume v, java.time.Instant asked) throws IOException {
        List<PeerConnection> peers = senders.keySet().stream().filter(c -> c.isOpen() && v.sharedWith(c.peer())).toList();
        if (peers.isEmpty()) {
            return false;
        }
        v.startRevert(asked, peers.stream().map(PeerConnection::peer).toList());
        for (PeerConnection c : peers) {
            later.execute(() -> {
                try {
                    c.send(new VolumeMessages.RecordsWanted(v.id(), 0).encode());
                } catch (IOException e) {
                    log.info("volume " + v.name() + ": asking " + c.peer().shortString() + " for its records failed: "
                            + e.getMessage());
                }
            });
        }
        return true;
    }

    private static long epochNanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Where each volume stands with each connected peer it is shared with, for the status. */
    public List<VolumeProgress> progress() throws IOException {
        List<VolumeProgress> out = new java.util.ArrayList<>();
        for (SharedVolume v : volumes.values()) {
            List<VolumeProgress.Peer> peers = new java.util.ArrayList<>();
            long sequence = v.sequence();
            for (Map.Entry<PeerConnection, Sender> e : senders.entrySet()) {
                PeerConnection c = e.getKey();
                if (!c.isOpen() || !v.sharedWith(c.peer())) {
                    continue;
                }
                Long sent = e.getValue().cursors.get(v.id());
                peers.add(new VolumeProgress.Peer(c.peer(), sent == null ? -1 : sent, v.resumePoint(c.peer()),
                        v.peerLatest(c.peer())));
            }
            out.add(new VolumeProgress(v.name(), sequence, peers, v.mode().text(), v.held()));
        }
        return out;
    }

    @Override
    public void close() {
        later.shutdownNow();
        senders.values().forEach(Sender::stop);
    }
}
