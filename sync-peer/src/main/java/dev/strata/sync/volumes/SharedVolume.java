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
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * One shared volume as the sync engine sees it: its state's sync index, its chunk space, the peers it
 * is shared with; reads the records to send and applies the records a peer sends, by the conflict
 * rule, through the volume's state. Thread-safe: records from several peers are applied one batch at
 * a time.
 */
public final class SharedVolume {
    /** Records read for one message: few enough to keep a message well under the frame bound. */
    static final int BATCH = 1000;

    private final String name;
    private final dev.strata.sync.wire.SpaceId id;
    private final VolumeState state;
    private final ChunkSpace space;
    private final TreeStore trees;
    private final Predicate<DeviceId> sharedWith;
    private final LongPredicate isOpen;
    private final SyncLog log;
    private final ConflictLog conflicts;
    /** Each peer's newest sequence number, as its last message said. */
    private final java.util.Map<DeviceId, Long> latest = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param trees      the volume's tree store (its chunks under the volume's key): contents of many chunks
     * @param sharedWith the devices the volume is shared with (asked at every message)
     * @param isOpen     whether a file is open here (its records wait until it is closed)
     * @param conflicts  where the conflicts decided here are listed (null: only in the volume's state)
     */
    public SharedVolume(String name, VolumeState state, ChunkSpace space, TreeStore trees, Predicate<DeviceId> sharedWith,
                        LongPredicate isOpen, SyncLog log, ConflictLog conflicts) {
        this.name = name;
        this.id = space.id();
        this.state = state;
        this.space = space;
        this.trees = trees;
        this.sharedWith = sharedWith;
        this.isOpen = isOpen;
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

    // --- sending ---------------------------------------------------------------------------------

    /** What one message sends: records as the wire carries them, the chunks they need, and the sequence reached. */
    record Outgoing(List<byte[]> records, List<ChunkId> chunks, long through) {
    }

    /** The records indexed after {@code since}, as the wire carries them (contents as chunks), or null if none. */
    Outgoing since(long since) throws IOException {
        List<SyncRecord> recs = state.syncRecordsSince(since, BATCH);
        if (recs.isEmpty()) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(recs.size());
        List<ChunkId> chunks = new ArrayList<>();
        for (SyncRecord r : recs) {
            SyncRecord wire = r;
            if (!r.deleted() && r.type() == NodeType.FILE) {
                List<ChunkRef> refs = trees.refs(r.content());
                for (ChunkRef ref : refs) {
                    if (!ref.isHole()) {
                        chunks.add(ref.id());
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
                        }
                    }
                    copies.add(c.withContent(new FileContent.Inline(refs)));
                }
                wire = wire.withCopiesOnly(copies);
            }
            out.add(wire.encode());
        }
        return new Outgoing(out, chunks, recs.get(recs.size() - 1).seq());
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
        List<SyncRecord> held = new ArrayList<>(encoded.size());
        int applied = 0;
        int inConflict = 0;
        for (byte[] bytes : encoded) {
            SyncRecord remote;
            try {
                remote = SyncRecord.decode(bytes, "a record of volume " + name + " from " + peer.shortString());
            } catch (CorruptDataException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (remote.type() == NodeType.FILE && !remote.deleted() && remote.content() instanceof FileContent.Inline in
                    && in.refs().size() > TreeStore.MAX_INLINE_REFERENCES) {
                remote = remote.withContent(trees.storeContent(in.refs())); // as this side keeps a large file's content
            }
            if (!remote.copies().isEmpty()) {
                List<SyncRecord.ConflictCopy> copies = new ArrayList<>();
                for (SyncRecord.ConflictCopy c : remote.copies()) {
                    copies.add(c.content() instanceof FileContent.Inline in
                            && in.refs().size() > TreeStore.MAX_INLINE_REFERENCES ? c.withContent(trees.storeContent(in.refs())) : c);
                }
                remote = remote.withCopiesOnly(copies);
            }
            held.add(remote);
            SyncRecord local = state.syncRecord(remote.path());
            ConflictRule.Decision d = ConflictRule.decide(local, remote);
            if (d.kind() == ConflictRule.Kind.IGNORE) {
                continue;
            }
            VolumeState.Applied a;
            try {
                a = state.syncApply(d.record(), d.kind() == ConflictRule.Kind.KEEP_LOCAL, d.bump(), d.loser(), peerKey,
                        remote.seq(), isOpen);
            } catch (java.nio.file.FileSystemException e) {
                // A path this side cannot hold as told (a file where the record needs a folder): said, and passed.
                log.info("volume " + name + ": cannot apply " + remote.printablePath() + " from " + peer.shortString()
                        + ": " + e.getMessage());
                state.syncPeerSequence(peerKey, remote.seq());
                continue;
            }
            if (a == VolumeState.Applied.OPEN) {
                log.info("volume " + name + ": " + remote.printablePath() + " from " + peer.shortString()
                        + " waits: the file is open here (asked for again in a second)");
                state.syncPeerRecords(shortId(peer), held);
                return new Received(applied, inConflict, false);
            }
            applied++;
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
        state.syncPeerRecords(shortId(peer), held);
        state.syncPeerViewFilled(peerKey, through);
        state.syncPeerSequence(peerKey, through);
        return new Received(applied, inConflict, true);
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
