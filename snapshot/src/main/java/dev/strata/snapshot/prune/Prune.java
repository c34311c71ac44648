package dev.strata.snapshot.prune;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.refs.ReferenceWalker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Removes data no snapshot uses: marks every chunk the snapshots reach (in LMDB, not on the heap),
 * deletes packs nothing in is used, and repacks packs that are mostly garbage. Crash-safe at every
 * step: new packs are durable and indexed before any old pack goes, so a crash leaves at worst
 * duplicates or unused packs for the next prune. Needs the repository's exclusive lock. Confined to
 * one thread.
 */
public final class Prune {
    private final Repository repo;
    private final ChunkStore store;
    private final LmdbIndex index;
    private final PackReader packs;

    public Prune(Repository repo) {
        this.repo = repo;
        this.store = repo.store();
        this.index = repo.index();
        this.packs = store.packReader();
    }

    /**
     * @param maxUnusedPercent unused bytes (as a share of all pack bytes) to tolerate in packs that
     *                         are kept; more than that, and the most wasteful packs are repacked
     */
    public PruneResult run(double maxUnusedPercent, boolean dryRun, PruneObserver observer) throws IOException {
        if (maxUnusedPercent < 0 || maxUnusedPercent > 100) {
            throw new UserFacingException(ExitCode.USAGE, "--max-unused must be between 0 and 100 percent");
        }
        observer.stage("mark");
        List<String> damaged = new ArrayList<>();
        List<Snapshot> snapshots = new Snapshots(repo).list(damaged);
        if (!damaged.isEmpty()) {
            throw new CorruptDataException("prune stopped before deleting anything: a snapshot record is damaged ("
                    + damaged.get(0) + "); run 'strata check'");
        }
        LmdbTable marks = repo.lmdb().openRunTable("prune");
        ReferenceWalker walker = new ReferenceWalker(new TreeStore(store), marks);
        List<String> problems = new ArrayList<>();
        for (Snapshot s : snapshots) {
            walker.walk(s.tree(), s.shortId(), new ReferenceWalker.Visitor() {
                @Override
                public void chunk(ChunkId id, boolean tree, String path) {
                    if (!index.contains(id)) {
                        problems.add(path + ": chunk " + id.shortString() + " is missing");
                    }
                }

                @Override
                public void unreadable(ChunkId id, String path, IOException e) {
                    problems.add(path + ": " + e.getMessage());
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new CorruptDataException("prune stopped before deleting anything: " + problems.size()
                    + " problem(s) in the snapshots, first: " + problems.get(0) + "; run 'strata check'");
        }

        observer.stage("plan");
        Map<PackId, PackRecord> known = index.packs();
        Map<PackId, PackUsage> usage = new HashMap<>();
        for (PackRecord p : known.values()) {
            usage.put(p.id(), new PackUsage(p.id(), p.type(), p.size()));
        }
        long[] chunkCounts = new long[2];
        Set<ChunkId> counted = new HashSet<>();
        index.forEachLocation(loc -> account(loc, marks, usage, chunkCounts));
        counted.clear();
        long totalBytes = 0;
        long unusedBytes = 0;
        List<PackUsage> delete = new ArrayList<>();
        List<PackUsage> partial = new ArrayList<>();
        for (PackUsage u : usage.values()) {
            totalBytes += u.size;
            if (u.unused()) {
                delete.add(u);
            } else if (u.unusedEntries > 0) {
                partial.add(u);
                unusedBytes += u.unusedBytes;
            }
        }
        // Repack the most wasteful packs first until what is left unused fits the limit.
        partial.sort(Comparator.comparingDouble((PackUsage u) -> (double) u.unusedBytes / u.size).reversed());
        long allowed = (long) (totalBytes * maxUnusedPercent / 100.0);
        List<PackUsage> repack = new ArrayList<>();
        for (PackUsage u : partial) {
            if (unusedBytes <= allowed) {
                break;
            }
            repack.add(u);
            unusedBytes -= u.unusedBytes;
        }
        long freed = delete.stream().mapToLong(u -> u.size).sum();
        long repackedBytes = repack.stream().mapToLong(u -> u.usedBytes).sum();
        freed += repack.stream().mapToLong(u -> u.size).sum() - repackedBytes;
        if (dryRun) {
            marks.drop();
            return new PruneResult(snapshots.size(), chunkCounts[0], chunkCounts[1], known.size(), delete.size(),
                    repack.size(), totalBytes, freed, repackedBytes, unusedBytes, 0, true);
        }

        observer.stage("repack");
        for (PackUsage u : repack) {
            PackTable table = packs.readTable(u.id);
            for (PackEntry e : table.entries()) {
                if (isPrimaryLive(e.id(), u.id, marks)) {
                    store.putSealed(packs.readSealed(u.id, e), u.type);
                }
            }
            observer.packRepacked(u.id);
        }
        // Everything moved is durable and indexed before anything is deleted.
        store.flush();

        observer.stage("delete");
        Set<PackId> gone = new HashSet<>();
        List<PackUsage> toDelete = new ArrayList<>(delete);
        toDelete.addAll(repack);
        for (PackUsage u : toDelete) {
            repo.backend().delete(PackReader.blobName(u.id));
            gone.add(u.id);
            observer.packDeleted(u.id);
        }
        index.removePacks(gone);

        observer.stage("cleanup");
        int staging = repo.backend().removeIncomplete();
        marks.drop();
        return new PruneResult(snapshots.size(), chunkCounts[0], chunkCounts[1], known.size(), delete.size(),
                repack.size(), totalBytes, freed, repackedBytes, unusedBytes, staging, false);
    }

    /** Adds one stored location to its pack's usage: live if marked and the first (primary) copy. */
    private void account(ChunkLocation loc, LmdbTable marks, Map<PackId, PackUsage> usage, long[] counts) {
        PackUsage u = usage.get(loc.pack());
        if (u == null) {
            return;
        }
        boolean live = marks.contains(loc.entry().id().bytes()) && isPrimary(loc);
        if (live) {
            u.usedBytes += loc.entry().storedLength();
            u.usedEntries++;
            counts[0]++;
        } else {
            u.unusedBytes += loc.entry().storedLength();
            u.unusedEntries++;
            counts[1]++;
        }
    }

    private boolean isPrimary(ChunkLocation loc) {
        Optional<ChunkLocation> first = index.lookup(loc.entry().id());
        return first.isPresent() && first.get().pack().equals(loc.pack());
    }

    private boolean isPrimaryLive(ChunkId id, PackId pack, LmdbTable marks) {
        if (!marks.contains(id.bytes())) {
            return false;
        }
        Optional<ChunkLocation> first = index.lookup(id);
        return first.isPresent() && first.get().pack().equals(pack);
    }
}
