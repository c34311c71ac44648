package dev.strata.snapshot.check;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LostChunk;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.IndexSynchronizer;
import dev.strata.core.store.PackVerifier;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.VolumeKeyRing;
import dev.strata.snapshot.refs.ReachableChunks;
import dev.strata.snapshot.refs.ReferenceWalker;
import dev.strata.snapshot.refs.SortedChunkIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Checks a repository: every pack against the index (header and table, or with read-data every
 * byte), every snapshot record readable, and every tree and chunk the snapshots name readable from a
 * pack that exists. Damaged and missing packs are named, each with the files that lose data through
 * it; what read-data finds damaged is marked in the index, so the next backup stores it again.
 * Reports precisely and goes on after each problem. Confined to one thread.
 */
public final class Check {
    private final Repository repo;
    private final LmdbIndex index;

    public Check(Repository repo) {
        this.repo = repo;
        this.index = repo.index();
    }

    public CheckReport run(CheckRequest req, LongConsumer packsDone) throws IOException {
        CheckReport report = new CheckReport();
        PackFindings packs = new PackFindings();
        IndexSynchronizer.Report sync = repo.store().synchronizer().synchronize();
        repo.openSync().salvaged().forEach(s -> salvaged(packs, s));
        sync.salvaged().forEach(s -> salvaged(packs, s));

        Set<PackId> present = new HashSet<>();
        for (BlobInfo b : repo.backend().list(BlobType.PACK)) {
            present.add(PackId.parse(b.name().name()));
        }
        report.packsTotal = present.size();

        // Each pack's ids are recomputed under the key it names: volumes' keys are needed before reading.
        List<String> damagedKeys = new ArrayList<>();
        VolumeKeyRing.register(repo, new Snapshots(repo).list(new ArrayList<>()), damagedKeys);
        damagedKeys.forEach(d -> report.error("damaged volume keys: " + d));

        Set<PackId> read = new HashSet<>();
        if (req.readData()) {
            readData(choose(new ArrayList<>(present), req), packs, read, report, packsDone);
        }
        new PackTables(repo).check(present, read, packs, report);

        List<String> damagedSnapshots = new ArrayList<>();
        List<Snapshot> snapshots = new Snapshots(repo).list(damagedSnapshots);
        damagedSnapshots.forEach(d -> report.error("damaged snapshot record: " + d));
        report.snapshots = snapshots.size();
        // A snapshot another process saved since the synchronisation above names packs this index has
        // not seen: every pack a listed snapshot needs was stored before its record, so one look now
        // finds them all, and none of its trees or chunks is taken for lost.
        repo.store().synchronizer().synchronize().salvaged().forEach(s -> salvaged(packs, s));

        try (SortedChunkIds reached = walk(snapshots, packs, report)) {
            attributeLosses(reached, packs, present);
            packs.report(report);
            if (report.affectedSnapshots > 0) {
                report.note(report.affectedSnapshots + " snapshot(s) refer to data that is lost: 'strata repair snapshots'"
                        + " rewrites them without it, and the next backup of the source stores it again");
            }
            long distinct = noteUnusedPacks(present, reached, report);
            report.dataChunks = Math.max(0, distinct - report.trees);
        }
        return report;
    }

    private static void salvaged(PackFindings packs, PackSalvage s) {
        packs.problem(s.id(), s.describe(), s.lostBytes() > 0);
    }

    private void readData(List<PackId> chosen, PackFindings packs, Set<PackId> read, CheckReport report,
                          LongConsumer packsDone) throws IOException {
        PackVerifier verifier = repo.store().verifier();
        long done = 0;
        for (PackId id : chosen) {
            try {
                PackVerifier.Result r = verifier.verify(id);
                read.add(id);
                report.packsRead++;
                report.bytesRead += r.size();
                if (!r.ok()) {
                    packs.problem(id, r.describe(), r.salvage() != null && r.salvage().lostBytes() > 0);
                }
            } catch (NoSuchFileException e) {
                report.note("pack " + id + " was removed while the check ran");
            }
            packsDone.accept(++done);
        }
    }

    /**
     * Walks every snapshot; each chunk it names must be in the index, in a pack that exists. Returns
     * every chunk reached (trees, content lists, data), marked as prune marks them ({@link ReachableChunks}).
     */
    private SortedChunkIds walk(List<Snapshot> snapshots, PackFindings packs, CheckReport report) throws IOException {
        // Data chunks come at every reference: a lost one is named once in the whole check, at its first.
        Set<ChunkId> lostData = new HashSet<>();
        try (ReachableChunks reachable = new ReachableChunks(repo.lmdb(), new TreeStore(repo.store()), "check")) {
            for (Snapshot s : snapshots) {
                int errorsBefore = report.errors().size();
                Set<ChunkId> reported = new HashSet<>();
                LossLines lines = new LossLines(report);
                reachable.walk(s.tree(), "snapshot " + s.shortId(), new ReferenceWalker.Visitor() {
                    @Override
                    public void chunk(ChunkId id, boolean tree, String path) {
                        if (tree) {
                            report.trees++;
                        }
                        if (index.lookup(id).isEmpty() && (tree || lostData.add(id))) {
                            reported.add(id);
                            lines.add(path, tree ? id : null, whereLost(id, packs));
                        }
                    }

                    @Override
                    public void unreadable(ChunkId id, String path, IOException e) {
                        packs.walkIncomplete();
                        if (!reported.contains(id)) {
                            lines.flush();
                            report.error(path + ": cannot read " + id.shortString() + ": " + e.getMessage());
                        }
                    }
                });
                lines.flush();
                if (report.errors().size() > errorsBefore) {
                    report.affectedSnapshots++;
                }
            }
            return reachable.finish();
        }
    }

    /** One error line per file that lost chunks (not one per chunk), and one per lost tree. */
    private static final class LossLines {
        private final CheckReport report;
        private final java.util.Map<String, Integer> byWhere = new java.util.LinkedHashMap<>();
        private String path;

        LossLines(CheckReport report) {
            this.report = report;
        }

        void add(String at, ChunkId tree, String where) {
            if (tree != null) {
                flush();
                report.error(at + ": tree " + tree.shortString() + " " + where + "; what it holds is unreadable");
                return;
            }
            if (!at.equals(path)) {
                flush();
                path = at;
            }
            byWhere.merge(where, 1, Integer::sum);
        }

        void flush() {
            byWhere.forEach((where, n) -> report.error(path + ": " + n + (n == 1 ? " chunk " : " chunks ") + where));
            byWhere.clear();
            path = null;
        }
    }

    /** Says why a chunk is not readable: damaged in a pack, in a pack that is missing, or nowhere. */
    private String whereLost(ChunkId id, PackFindings packs) {
        for (LostChunk l : index.lost(id)) {
            return l.reason() == LostChunk.Reason.DAMAGED
                    ? "damaged (in pack " + l.location().pack() + ")"
                    : "lost (in pack " + l.location().pack() + ", which is missing)";
        }
        packs.unattributed();
        return "in no pack";
    }

    /** Counts, per pack, the chunks it lost and how many of them snapshots still use. */
    private void attributeLosses(SortedChunkIds reached, PackFindings packs, Set<PackId> present) throws IOException {
        List<LostChunk> allLost = index.allLost();
        if (allLost.isEmpty()) {
            return;
        }
        Set<ChunkId> reachedLost = reached.containedOf(allLost.stream().map(l -> l.location().entry().id()).toList());
        List<LostChunk> forgotten = new ArrayList<>();
        for (LostChunk l : allLost) {
            ChunkId id = l.location().entry().id();
            boolean used = reachedLost.contains(id) && index.lookup(id).isEmpty();
            PackId pack = l.location().pack();
            boolean gone = l.reason() == LostChunk.Reason.MISSING || !present.contains(pack);
            if (gone && !used && !packs.isWalkIncomplete()) {
                forgotten.add(l); // its pack was pruned elsewhere, or nothing needs it any more
                continue;
            }
            packs.lost(pack, used);
            if (l.reason() == LostChunk.Reason.DAMAGED && present.contains(pack) && !packs.known(pack)) {
                packs.problem(pack, "pack " + pack + ": chunk(s) failed authentication when read", false);
            }
        }
        index.forgetLost(forgotten);
    }

    /**
     * Notes the packs that hold no chunk reached, in one walk of the index in key order beside one pass
     * over the reached ids. Returns how many distinct ids were reached.
     */
    private long noteUnusedPacks(Set<PackId> present, SortedChunkIds reached, CheckReport report) throws IOException {
        Set<PackId> live = new HashSet<>();
        long distinct;
        try (SortedChunkIds.Cursor marks = reached.cursor()) {
            index.forEachLocation(loc -> {
                try {
                    if (marks.contains(loc.entry().id())) {
                        live.add(loc.pack());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (marks.next() != null) {
                // the reached ids past the index's last one (lost), so that all are counted
            }
            distinct = marks.passed();
        } catch (UncheckedIOException e) {
            throw new IOException("read the sorted reached chunk ids: " + e.getCause().getMessage(), e.getCause());
        }
        int unused = 0;
        for (PackRecord p : index.packs().values()) {
            if (present.contains(p.id()) && !live.contains(p.id())) {
                unused++;
            }
        }
        if (unused > 0) {
            report.note(unused + " pack(s) hold only data no snapshot uses; 'strata prune' removes them");
        }
        return distinct;
    }

    static List<PackId> choose(List<PackId> all, CheckRequest req) {
        all.sort(null);
        if (req.subsetCount() > 0) {
            List<PackId> out = new ArrayList<>();
            for (PackId id : all) {
                if ((id.byteAt(0) & 0xFF) % req.subsetCount() == req.subsetIndex() - 1) {
                    out.add(id);
                }
            }
            return out;
        }
        if (req.percent() > 0) {
            List<PackId> out = new ArrayList<>(all);
            java.util.Collections.shuffle(out, new Random());
            int n = (int) Math.ceil(all.size() * req.percent() / 100.0);
            return out.subList(0, Math.min(n, out.size()));
        }
        return all;
    }
}
