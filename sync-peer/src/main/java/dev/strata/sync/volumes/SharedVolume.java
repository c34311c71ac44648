package dev.strata.sync.volumes;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.TreeStore;
import dev.strata.sync.chunks.ChunkSpace;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.SyncLog;
import dev.strata.volume.data.VolumeData;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One shared volume as the sync engine sees it: its state's sync index, its chunk space, the peers it
 * is shared with and this device's mode; reads the records to send (not a peer's own back to it, with
 * the versions saved since the last it was sent) and applies the records a peer sends, checked first,
 * by the conflict rule and the mode, through the volume's state (renames as renames). Thread-safe:
 * records from several peers are applied one batch at a time.
 */
public final class SharedVolume {
    /** Records read for one message: few enough to keep a message well under the frame bound. */
    static final int BATCH = 1000;
    /**
     * Bytes of chunks (their plaintext) past which a message takes no more records: its records go only
     * once the peer has stored all its chunks, so a message of large files would hold every record back
     * until hundreds of MiB had crossed. Cut at this, the peer applies records while later chunks travel,
     * and each batch's answer comes with the flush the receiver does every 32 MiB anyway.
     */
    static final long BATCH_BYTES = 32L << 20;
    /** The most versions saved between two records of a path that one record carries (the newest). */
    static final int MAX_VERSIONS_CARRIED = 32;

    private final String name;
    private final dev.strata.sync.wire.SpaceId id;
    private final VolumeState state;
    private final ChunkSpace space;
    private final TreeStore trees;
    private final Predicate<DeviceId> sharedWith;
    private final VolumeData files;
    private final SyncLog log;
    private final ConflictLog conflicts;
    /** Each peer's newest sequence number, as its last message said. */
    private final java.util.Map<DeviceId, Long> latest = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ShareBook.Mode mode = ShareBook.Mode.TWO_WAY;
    /**
     * Paths held back by the mode since this process started: send-only, those whose peers' changes
     * were not applied here; receive-only, those changed here and not sent.
     */
    private final java.util.Set<java.nio.ByteBuffer> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A revert under way (receive-only), or null. */
    private volatile Revert revert;

    /**
     * @param trees      the volume's tree store (its chunks under the volume's key): contents of many chunks
     * @param sharedWith the devices the volume is shared with (asked at every message)
     * @param files      the volume's open files: a record for a file open for writing here waits for its close
     * @param conflicts  where the conflicts decided here are listed (null: only in the volume's state)
     */
    public SharedVolume(String name, VolumeState state, ChunkSpace space, TreeStore trees, Predicate<DeviceId> sharedWith,
                        VolumeData files, SyncLog log, ConflictLog conflicts) {
        this.name = name;
        this.id = space.id();
        this.state = state;
        this.space = space;
        this.trees = trees;
        this.sharedWith = sharedWith;
        this.files = files;
        this.log = log;
        this.conflicts = conflicts;
    }

    /** A device's short id: the first 8 bytes of its ID (docs/sync.md, "File records"). */
    public static long shortId(DeviceId device) {
        return ByteBuffer.wrap(device.bytes(), 0, 8).getLong();
    }

    public String name() {
        return name;
    }

    public dev.strata.sync.wire.SpaceId id() {
        return id;
    }

    public ChunkSpace space() {
        return space;
    }

    public VolumeState state() {
        return state;
    }

    boolean sharedWith(DeviceId peer) {
        return sharedWith.test(peer);
    }

    public ShareBook.Mode mode() {
        return mode;
    }

    /** Takes part in the volume as {@code m} from now on (what was held back under another mode is forgotten). */
    public void mode(ShareBook.Mode m) {
        if (m != mode) {
            mode = m;
            held.clear();
            if (m != ShareBook.Mode.RECEIVE_ONLY) {
                revert = null;
            }
        }
    }

    /** How many paths the mode holds back (see {@link #held}). */
    int held() {
        return held.size();
    }

    private static java.nio.ByteBuffer key(byte[] path) {
        return java.nio.ByteBuffer.wrap(path);
    }

    // --- sending ---------------------------------------------------------------------------------

    /** What one message sends: records as the wire carries them, the chunks they need, and the sequence reached. */
    record Outgoing(List<byte[]> records, List<ChunkId> chunks, long through) {
    }

    /**
     * What one connection's peer was sent of each path's history: a file's record carries, as copies,
     * the versions of the path saved since the last record of it sent on the connection (or since the
     * connection began), so that every content saved while the devices are connected reaches the
     * peer's history, not only the last. Confined to the connection's sender.
     */
    static final class SentVersions {
        private final long fromNanos;
        private final java.util.Map<java.nio.ByteBuffer, Long> newest = new java.util.HashMap<>();

        SentVersions(long fromNanos) {
            this.fromNanos = fromNanos;
        }
    }

    /**
     * The records indexed after {@code since} to send a peer, as the wire carries them (contents as
     * chunks), or null if none were indexed; receive-only, the changes made here are left out. A file's record carries the versions
     * {@code versions} says the peer has not been sent.
     */
    Outgoing since(long since, SentVersions versions) throws IOException {
        return since(since, versions, BATCH_BYTES);
    }

    /**
     * As {@link #since(long, SentVersions)}, the message cut once its chunks reach {@code maxBytes} (at
     * least one record). The two records of a rename, a tombstone and the record after it, stay in one
     * message, so that the peer can apply them as a rename: a tombstone brings no chunks of its own, so the
     * bound is not reached by it, and one that carries a conflict's copies does not end a message either.
     */
    Outgoing since(long since, SentVersions versions, long maxBytes) throws IOException {
        List<SyncRecord> recs = state.syncRecordsSince(since, BATCH);
        if (recs.isEmpty()) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(recs.size());
        List<ChunkId> chunks = new ArrayList<>();
        boolean receiveOnly = mode == ShareBook.Mode.RECEIVE_ONLY;
        long me = state.syncDevice();
        long bytes = 0;
        long through = since;
        boolean afterTombstone = false;
        for (SyncRecord r : recs) {
            if (bytes >= maxBytes && !afterTombstone) {
                break;
            }
            through = r.seq();
            afterTombstone = r.deleted();
            if (receiveOnly && r.vector().size() == 0) {
                continue; // a path a revert emptied: nothing any device needs to hear
            }
            if (receiveOnly && r.author() == me) {
                held.add(key(r.path())); // a change made here: a receive-only device keeps it to itself
                continue;
            }
            SyncRecord wire = r;
            if (!r.deleted() && r.type() == NodeType.FILE) {
                wire = r = withVersionsSaved(r, versions);
                List<ChunkRef> refs = trees.refs(r.content());
                for (ChunkRef ref : refs) {
                    if (!ref.isHole()) {
                        chunks.add(ref.id());
                        bytes += ref.length();
                    }
                }
                if (r.content() instanceof FileContent.Indirect) {
                    wire = r.withContent(new FileContent.Inline(refs));
                }
            }
            if (!r.copies().isEmpty()) {
                List<SyncRecord.ConflictCopy> copies = new ArrayList<>();
                for (SyncRecord.ConflictCopy c : r.copies()) {
                    List<ChunkRef> refs = trees.refs(c.content());
                    for (ChunkRef ref : refs) {
                        if (!ref.isHole()) {
                            chunks.add(ref.id());
                            bytes += ref.length();
                        }
                    }
                    copies.add(c.withContent(new FileContent.Inline(refs)));
                }
                wire = wire.withCopiesOnly(copies);
            }
            out.add(wire.encode());
        }
        return new Outgoing(out, chunks, through);
    }

    /** {@code r} carrying, as copies, the versions of its path saved since {@code sent} last saw it, but its own content. */
    private SyncRecord withVersionsSaved(SyncRecord r, SentVersions sent) throws IOException {
        java.nio.ByteBuffer k = key(r.path());
        long after = sent.newest.getOrDefault(k, sent.fromNanos);
        List<SyncRecord.ConflictCopy> more = new ArrayList<>();
        long newest = after;
        for (dev.strata.volume.state.VersionRecord v : state.versions(r.path())) {
            long saved = v.savedNanos();
            if (saved <= after) {
                continue;
            }
            newest = Math.max(newest, saved);
            boolean known = v.content().equals(r.content()) || r.copies().stream().anyMatch(c -> c.content().equals(v.content()))
                    || more.stream().anyMatch(c -> c.content().equals(v.content()));
            if (!known && v.size() > 0) {
                more.add(new SyncRecord.ConflictCopy(v.content(), v.size(), v.mtime(), v.mode(), r.author()));
            }
        }
        sent.newest.put(k, newest);
        if (more.size() > MAX_VERSIONS_CARRIED) {
            more = more.subList(more.size() - MAX_VERSIONS_CARRIED, more.size()); // the newest: a record stays small
        }
        return more.isEmpty() ? r : r.withCopies(more);
    }

    /** The last of this volume's sequence numbers. */
    long sequence() throws IOException {
        return state.syncSequence();
    }

    // --- receiving -------------------------------------------------------------------------------

    /** How a batch went: applied through {@code through}, or stopped early at a file open here. */
    record Received(int applied, int conflicts, boolean complete) {
    }

    /**
     * Applies records {@code encoded} of peer {@code peer}, whose sequence numbers reach {@code through}.
     * Their chunks are here already (sent first). Stops at a record whose file is open here: the rest
     * is asked for again later, from the resume point.
     */
    synchronized Received receive(DeviceId peer, List<byte[]> encoded, long through) throws IOException {
        byte[] peerKey = peer.bytes();
        // What the peer holds, as this batch says, for its folder in peers/: every record, applied or not.
        List<SyncRecord> peerHas = new ArrayList<>(encoded.size());
        int applied = 0;
        int inConflict = 0;
        // Every record is checked before any is applied: a batch with one bad record is refused whole.
        List<SyncRecord> batch = new ArrayList<>(encoded.size());
        long previous = 0;
        for (byte[] bytes : encoded) {
            SyncRecord remote;
            try {
                remote = SyncRecord.decode(bytes, "a record");
                RecordCheck.check(remote, state.syncRecord(remote.path()), shortId(peer), previous, through);
            } catch (CorruptDataException | dev.strata.sync.wire.FrameException e) {
                log.info("volume " + name + ": refused a batch of " + encoded.size() + " records from " + peer.shortString()
                        + ": " + e.getMessage() + "; nothing of it applied, the connection dropped");
                throw new dev.strata.sync.wire.FrameException("volume " + name + ": " + e.getMessage());
            }
            previous = remote.seq();
            batch.add(asKeptHere(remote));
        }
        java.util.Map<Integer, Integer> renames = renames(batch);
        java.util.Set<Integer> done = new java.util.HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!done.add(i)) {
                continue; // the second record of a rename applied with the first
            }
            SyncRecord remote = batch.get(i);
            Integer other = renames.get(i);
            if (other != null && mode != ShareBook.Mode.SEND_ONLY && revert == null) {
                VolumeState.Applied a = rename(peer, remote, batch.get(other));
                if (a == VolumeState.Applied.OPEN) {
                    log.info("volume " + name + ": " + remote.printablePath() + " from " + peer.shortString()
                            + " waits: the file is open for writing here (asked for again in a second)");
                    state.syncPeerRecords(shortId(peer), peerHas);
                    return new Received(applied, inConflict, false);
                }
                if (a == VolumeState.Applied.APPLIED) {
                    peerHas.add(remote);
                    peerHas.add(batch.get(other));
                    applied += 2;
                    done.add(other);
                    continue;
                }
            }
            peerHas.add(remote);
            SyncRecord local = state.syncRecord(remote.path());
            Revert rv = revert;
            ConflictRule.Decision d;
            if (rv != null && rv.mine.remove(key(remote.path()))) {
                // Reverting: the peer's record is put back over the change made here, whatever the vectors say.
                d = new ConflictRule.Decision(ConflictRule.Kind.APPLY, remote, false, null);
                rv.reverted++;
            } else {
                d = ConflictRule.decide(local, remote);
            }
            if (d.kind() == ConflictRule.Kind.IGNORE) {
                continue;
            }
            if (mode == ShareBook.Mode.SEND_ONLY) {
                // A send-only device's files are its own: the peer's change is not applied (and not asked
                // for again: the resume point moves past it).
                if (held.add(key(remote.path()))) {
                    log.info("volume " + name + " is send-only here: " + remote.printablePath() + " from "
                            + peer.shortString() + " not applied");
                }
                continue;
            }
            VolumeState.Applied a;
            try {
                SyncRecord loser = d.loser();
                long seq = remote.seq();
                a = files.fromPeer(open -> state.syncApply(d.record(), d.kind() == ConflictRule.Kind.KEEP_LOCAL, d.bump(),
                        loser, peerKey, seq, open));
            } catch (java.nio.file.FileSystemException e) {
                // A path this side cannot hold as told (a file where the record needs a folder): said, and passed.
                log.info("volume " + name + ": cannot apply " + remote.printablePath() + " from " + peer.shortString()
                        + ": " + e.getMessage());
                state.syncPeerSequence(peerKey, remote.seq());
                continue;
            }
            if (a == VolumeState.Applied.OPEN) {
                log.info("volume " + name + ": " + remote.printablePath() + " from " + peer.shortString()
                        + " waits: the file is open for writing here (asked for again in a second)");
                state.syncPeerRecords(shortId(peer), peerHas);
                return new Received(applied, inConflict, false);
            }
            applied++;
            if (!d.bump()) {
                held.remove(key(remote.path())); // the peers' state is the path's again
            }
            if (d.loser() != null) {
                inConflict++;
                boolean keptHere = d.kind() == ConflictRule.Kind.KEEP_LOCAL;
                log.info("volume " + name + ": conflict at " + remote.printablePath() + " with " + peer.shortString()
                        + ": kept " + (keptHere ? "this device's" : "the peer's")
                        + " change; the other is in the path's versions");
                if (conflicts != null) {
                    conflicts.decided(name, keptHere ? d.record() : remote, d.loser(), keptHere, java.time.Instant.now(),
                            log::info);
                }
            }
        }
        state.syncPeerRecords(shortId(peer), peerHas);
        state.syncPeerViewFilled(peerKey, through);
        state.syncPeerSequence(peerKey, through);
        return new Received(applied, inConflict, true);
    }

    // --- reverting (receive-only) ----------------------------------------------------------------

    /** A revert under way: the peers' records asked for again from the start, put back over the changes made here. */
    private static final class Revert {
        final java.time.Instant asked;
        /** Paths whose record is a change made here, not put back yet. */
        final java.util.Set<java.nio.ByteBuffer> mine = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Peers whose whole list of records has not arrived yet. */
        final java.util.Set<DeviceId> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int reverted;
        volatile boolean done;

        Revert(java.time.Instant asked) {
            this.asked = asked;
        }
    }

    /**
     * Starts the revert asked for at {@code asked}: every path whose record is a change made here is
     * to take the record of the first of {@code peers} that sends one, and those no peer has are
     * removed once all of them sent their whole list. The caller then asks each of them for its
     * records from the start.
     */
    void startRevert(java.time.Instant asked, java.util.Collection<DeviceId> peers) throws IOException {
        if (mode != ShareBook.Mode.RECEIVE_ONLY) {
            throw new IllegalStateException("volume " + name + " is " + mode.text() + " here, not receive-only");
        }
        Revert rv = new Revert(asked);
        long me = state.syncDevice();
        long since = 0;
        while (true) {
            List<SyncRecord> recs = state.syncRecordsSince(since, BATCH);
            if (recs.isEmpty()) {
                break;
            }
            for (SyncRecord r : recs) {
                if (r.author() == me) {
                    rv.mine.add(key(r.path()));
                }
            }
            since = recs.get(recs.size() - 1).seq();
        }
        rv.waiting.addAll(peers);
        revert = rv;
        log.info("volume " + name + ": reverting " + rv.mine.size() + (rv.mine.size() == 1 ? " change" : " changes")
                + " made here: asking " + peers.size() + (peers.size() == 1 ? " peer" : " peers") + " for their records");
    }

    /** When the revert now under way, or the last one finished, was asked for; null if none was. */
    public java.time.Instant revertAsked() {
        Revert rv = revert;
        return rv == null ? null : rv.asked;
    }

    /** Whether the revert asked for at {@code asked} has finished. */
    public boolean reverted(java.time.Instant asked) {
        Revert rv = revert;
        return rv != null && rv.done && rv.asked.equals(asked);
    }

    /**
     * {@code peer} sent records through its sequence {@code through} of {@code latest}: once every peer
     * of a revert sent all it has, the paths made here that none of them has are removed (their
     * contents stay versions of them) and the revert is done.
     */
    void passed(DeviceId peer, long through, long latest) throws IOException {
        Revert rv = revert;
        if (rv == null || rv.done || through < latest || !rv.waiting.remove(peer) || !rv.waiting.isEmpty()) {
            return;
        }
        List<byte[]> left = new ArrayList<>();
        rv.mine.forEach(k -> left.add(k.array()));
        // Deepest first, so that a folder made here is empty when its turn comes.
        left.sort((x, y) -> Integer.compare(y.length, x.length));
        int removed = 0;
        long me = state.syncDevice();
        synchronized (this) {
            for (byte[] path : left) {
                SyncRecord local = state.syncRecord(path);
                if (local == null || local.deleted() || local.author() != me) {
                    continue;
                }
                // Nothing there as far as the peers know: a tombstone of no device, which any record of theirs beats.
                SyncRecord gone = local.madeBy(0, dev.strata.volume.state.VersionVector.EMPTY, 0)
                        .tombstone(dev.strata.volume.state.VersionVector.EMPTY, 0);
                VolumeState.Applied a = files.fromPeer(open -> state.syncApply(gone, false, false, null, null, 0, open));
                if (a == VolumeState.Applied.APPLIED) {
                    removed++;
                }
            }
        }
        held.clear();
        log.info("volume " + name + ": reverted: " + rv.reverted + (rv.reverted == 1 ? " path" : " paths")
                + " put back as the peers have " + (rv.reverted == 1 ? "it" : "them") + ", " + removed + " made here removed;"
                + " what they held here stays in versions/");
        // Done only once said: whoever sees the revert done finds the line in the log.
        rv.done = true;
    }

    /** {@code r} with its contents as this side keeps them: a large file's in content lists. */
    private SyncRecord asKeptHere(SyncRecord r) throws IOException {
        SyncRecord remote = r;
        if (remote.type() == NodeType.FILE && !remote.deleted() && remote.content() instanceof FileContent.Inline in
                && in.refs().size() > TreeStore.MAX_INLINE_REFERENCES) {
            remote = remote.withContent(trees.storeContent(in.refs()));
        }
        if (!remote.copies().isEmpty()) {
            List<SyncRecord.ConflictCopy> copies = new ArrayList<>();
            for (SyncRecord.ConflictCopy c : remote.copies()) {
                copies.add(c.content() instanceof FileContent.Inline in
                        && in.refs().size() > TreeStore.MAX_INLINE_REFERENCES ? c.withContent(trees.storeContent(in.refs())) : c);
            }
            remote = remote.withCopiesOnly(copies);
        }
        return remote;
    }

    /**
     * The renames in a batch: a tombstone at a path where this side holds a file, and a file record of
     * that very content elsewhere in the batch. Maps the index of the first of each pair to the other.
     */
    private java.util.Map<Integer, Integer> renames(List<SyncRecord> batch) throws IOException {
        java.util.Map<FileContent, Integer> gone = new java.util.HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            SyncRecord r = batch.get(i);
            if (r.deleted()) {
                SyncRecord here = state.syncRecord(r.path());
                if (here != null && !here.deleted() && here.type() == NodeType.FILE && here.size() > 0) {
                    gone.putIfAbsent(here.content(), i);
                }
            }
        }
        java.util.Map<Integer, Integer> pairs = new java.util.HashMap<>();
        if (gone.isEmpty()) {
            return pairs;
        }
        for (int j = 0; j < batch.size(); j++) {
            SyncRecord r = batch.get(j);
            if (!r.deleted() && r.type() == NodeType.FILE) {
                Integer i = gone.remove(r.content());
                if (i != null) {
                    pairs.put(Math.min(i, j), Math.max(i, j));
                }
            }
        }
        return pairs;
    }

    /**
     * Applies a peer's tombstone {@code a} and file record {@code b} (either order) as a rename of the
     * file here, when each is newer than this side's record of its path; null when they are not that.
     */
    private VolumeState.Applied rename(DeviceId peer, SyncRecord a, SyncRecord b) throws IOException {
        SyncRecord gone = a.deleted() ? a : b;
        SyncRecord moved = a.deleted() ? b : a;
        for (SyncRecord r : List.of(gone, moved)) {
            ConflictRule.Decision d = ConflictRule.decide(state.syncRecord(r.path()), r);
            if (d.kind() != ConflictRule.Kind.APPLY || d.bump() || d.loser() != null) {
                return null;
            }
        }
        // The resume point moves to the first of the two only: a batch stopped between them is asked for
        // again from there, and the second, applied already, is then ignored.
        long seq = Math.min(gone.seq(), moved.seq());
        VolumeState.Applied applied = files.fromPeer(open -> state.syncApplyRename(gone, moved, peer.bytes(), seq, open));
        if (applied == VolumeState.Applied.APPLIED) {
            held.remove(key(gone.path()));
            held.remove(key(moved.path()));
        }
        return applied;
    }

    /** Notes {@code peer}'s newest sequence number. */
    void peerLatest(DeviceId peer, long seq) {
        latest.put(peer, seq);
    }

    /** {@code peer}'s newest sequence number as it last said, or -1. */
    long peerLatest(DeviceId peer) {
        return latest.getOrDefault(peer, -1L);
    }

    /**
     * Where to ask {@code peer} for records from: the resume point, unless what it holds is kept here
     * only through an earlier sequence (a batch stopped at a file open here), then from there; and from
     * 0 when its records were never kept (a volume synced before they were), so that {@code peers/}
     * shows all it holds. Records applied already come again and are ignored.
     */
    long askFrom(DeviceId peer) throws IOException {
        long filled = state.syncPeerViewFilled(peer.bytes());
        if (filled < 0) {
            state.syncPeerViewRestart(peer.bytes(), shortId(peer));
            return 0;
        }
        return Math.min(filled, resumePoint(peer));
    }

    /** What {@code peer} holds at {@code path}, as its records last said; null if nothing. */
    public SyncRecord peerRecord(DeviceId peer, byte[] path) throws IOException {
        return state.syncPeerRecord(shortId(peer), path);
    }

    /** What {@code peer} holds directly in {@code folder} ({@code ""}: the volume's root), as its records last said. */
    public List<SyncRecord> peerFolder(DeviceId peer, byte[] folder) throws IOException {
        return state.syncPeerFolder(shortId(peer), folder);
    }

    /** The volume's chunks as this device holds them (contents of many chunks resolved through it). */
    public TreeStore trees() {
        return trees;
    }

    /** The last of {@code peer}'s sequence numbers applied here. */
    long resumePoint(DeviceId peer) throws IOException {
        return state.syncPeerSequence(peer.bytes());
    }
}
