package dev.strata.snapshot.prune;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LostChunk;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.KeySpace;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.backend.BlobType;
import dev.strata.core.repo.Condemnation;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.refs.ReachableChunks;
import dev.strata.snapshot.refs.ReferenceWalker;
import dev.strata.snapshot.refs.LiveCopies;
import dev.strata.snapshot.refs.SortedChunkIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes data no snapshot uses: marks every chunk the snapshots reach (sorted runs of ids in files
 * of the cache, merged with the index in one pass in key order: memory bounded, disk traffic
 * sequential and linear in the number of chunks, docs/format.md §7), deletes packs nothing in is used, and repacks packs that are mostly garbage, and every damaged pack
 * (its readable chunks that snapshots use move to new packs, the rest goes). Crash-safe at every
 * step: new packs are durable and indexed before any old pack goes, so a crash leaves at worst
 * duplicates or unused packs for the next prune. Stops before deleting anything while snapshots
 * refer to lost data, unless asked to prune around it. Deletes in two phases beside running writers
 * (docs/format.md §7.1): what a run finds unused is condemned, and goes once every writer knows it —
 * in the same run when no writer is running. Needs the repository's prune lock. Confined to one
 * thread.
 */
public final class Prune {
    /** How far a store's clock (the time it gives its files) may be from this machine's. */
    private static final java.time.Duration CLOCK_MARGIN = java.time.Duration.ofMinutes(10);
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
        return run(maxUnusedPercent, dryRun, false, observer);
    }

    /**
     * @param ignoreDamaged go on although snapshots refer to lost data (damaged, in a pack that is gone,
     *                      or below a tree that cannot be read): what is lost stays lost, everything
     *                      readable that snapshots use is kept
     */
    public PruneResult run(double maxUnusedPercent, boolean dryRun, boolean ignoreDamaged, PruneObserver observer)
            throws IOException {
        if (maxUnusedPercent < 0 || maxUnusedPercent > 100) {
            throw new UserFacingException(ExitCode.USAGE, "--max-unused must be between 0 and 100 percent");
        }
        java.time.Instant began = repo.clock().instant();
        observer.stage("mark");
        // Writers first, snapshots after: a writer that finishes in between has its snapshot marked.
        Writers writers = Writers.read(repo);
        List<Condemnation> ready = new ArrayList<>();
        List<Condemnation> waiting = new ArrayList<>();
        for (Condemnation c : Condemnation.list(repo.backend(), repo.key())) {
            (writers.allKnow(c) ? ready : waiting).add(c);
        }
        Set<String> snapshotNames = snapshotNames();
        List<String> damaged = new ArrayList<>();
        List<Snapshot> snapshots = new Snapshots(repo).list(damaged);
        if (!damaged.isEmpty()) {
            throw new CorruptDataException("prune stopped before deleting anything: a snapshot record is damaged ("
                    + damaged.get(0) + "); run 'strata check'");
        }
        // A snapshot saved since this process opened the repository names packs its index has not seen:
        // every pack a listed snapshot needs was stored before its record, so one look now finds them all.
        store.synchronizer().synchronize();
        List<String> problems = new ArrayList<>();
        Seen seen = new Seen(began, writers, ready, waiting, snapshotNames, snapshots.size());
        try (SortedChunkIds marks = mark(snapshots, problems)) {
            return sweep(seen, marks, problems, maxUnusedPercent, dryRun, ignoreDamaged, observer);
        }
    }

    /** What prune saw before marking: when it began, the writers, the condemnations and the snapshots. */
    private record Seen(java.time.Instant began, Writers writers, List<Condemnation> ready, List<Condemnation> waiting,
                        Set<String> snapshotNames, int snapshots) {
    }

    /**
     * Every chunk the snapshots reach, sorted (trees walked once each, data chunk ids in sorted runs of
     * the cache, repeats and all: {@link ReachableChunks}).
     */
    private SortedChunkIds mark(List<Snapshot> snapshots, List<String> problems) throws IOException {
        try (ReachableChunks reachable = new ReachableChunks(repo.lmdb(), new TreeStore(store), "prune")) {
            // Data chunks come at every reference: a lost one is named once, at its first.
            Set<ChunkId> lost = new HashSet<>();
            for (Snapshot s : snapshots) {
                walk(reachable, s, lost, problems);
            }
            return reachable.finish();
        }
    }

    private void walk(ReachableChunks reachable, Snapshot s, Set<ChunkId> lost, List<String> problems) throws IOException {
        reachable.walk(s.tree(), s.shortId(), new ReferenceWalker.Visitor() {
            @Override
            public void chunk(ChunkId id, boolean tree, String path) {
                if (!index.contains(id) && lost.add(id)) {
                    problems.add(path + ": chunk " + id.shortString() + " is lost");
                }
            }

            @Override
            public void unreadable(ChunkId id, String path, IOException e) {
                problems.add(path + ": " + e.getMessage());
            }
        });
    }

    private PruneResult sweep(Seen seen, SortedChunkIds marks, List<String> problems, double maxUnusedPercent,
                              boolean dryRun, boolean ignoreDamaged, PruneObserver observer) throws IOException {
        java.time.Instant began = seen.began();
        Writers writers = seen.writers();
        List<Condemnation> ready = seen.ready();
        List<Condemnation> waiting = seen.waiting();
        Set<String> snapshotNames = seen.snapshotNames();
        int snapshotCount = seen.snapshots();
        if (!problems.isEmpty() && !ignoreDamaged) {
            throw new CorruptDataException("prune stopped before deleting anything: " + problems.size()
                    + " chunk(s) the snapshots use are lost (first: " + problems.get(0) + "); 'strata repair snapshots'"
                    + " rewrites the snapshots without them, or 'strata prune --ignore-damaged' prunes around them"
                    + " (what is lost stays lost; everything readable that snapshots use is kept)");
        }

        observer.stage("plan");
        Map<PackId, PackRecord> known = index.packs();
        Map<PackId, PackUsage> usage = new HashMap<>();
        for (PackRecord p : known.values()) {
            usage.put(p.id(), new PackUsage(p.id(), p.type(), p.size()));
        }
        long[] chunkCounts = new long[2];
        LiveCopies.walk(index, marks, (loc, live) -> account(loc, live, usage, chunkCounts));
        // Damaged packs go whatever the limit: what is readable and used moves, the damage with the rest.
        Set<PackId> damagedPacks = new HashSet<>();
        for (LostChunk l : index.allLost()) {
            PackUsage u = usage.get(l.location().pack());
            if (u != null && l.reason() == LostChunk.Reason.DAMAGED) {
                u.unusedBytes += l.location().entry().storedLength();
                u.unusedEntries++;
                damagedPacks.add(u.id);
            }
        }
        known.values().stream().filter(PackRecord::salvaged).forEach(p -> damagedPacks.add(p.id()));
        Set<PackId> readyPacks = Condemnation.packsOf(ready);
        Set<PackId> waitingPacks = Condemnation.packsOf(waiting);
        waitingPacks.removeAll(readyPacks);
        long totalBytes = 0;
        long unusedBytes = 0;
        long waitingBytes = 0;
        List<PackUsage> delete = new ArrayList<>();
        List<PackUsage> partial = new ArrayList<>();
        List<PackUsage> repack = new ArrayList<>();
        for (PackUsage u : usage.values()) {
            totalBytes += u.size;
            if (waitingPacks.contains(u.id)) {
                // Condemned by an earlier prune; goes once every writer knows it.
                waitingBytes += u.size;
            } else if (u.unused()) {
                delete.add(u);
            } else if (damagedPacks.contains(u.id) || readyPacks.contains(u.id)) {
                // A ready condemned pack still in use: a writer referred to it before it knew.
                repack.add(u);
            } else if (u.unusedEntries > 0) {
                partial.add(u);
                unusedBytes += u.unusedBytes;
            }
        }
        // Repack the most wasteful packs first until what is left unused fits the limit.
        partial.sort(Comparator.comparingDouble((PackUsage u) -> (double) u.unusedBytes / u.size).reversed());
        long allowed = (long) (totalBytes * maxUnusedPercent / 100.0);
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
            return new PruneResult(snapshotCount, chunkCounts[0], chunkCounts[1], known.size(), delete.size(),
                    repack.size(), totalBytes, freed, repackedBytes, unusedBytes, 0, problems.size(), true,
                    waitingPacks.size(), waitingBytes, waitingFor(writers, waiting));
        }

        observer.stage("repack");
        Map<PackId, List<PackEntry>> entries = liveEntriesOf(repack, marks);
        for (PackUsage u : repack) {
            // Live entries move only into packs of their own key space (docs/format.md §5.1).
            KeySpace space = null;
            // From the index, not the pack's table: a damaged pack's table may be unreadable.
            for (PackEntry e : entries.getOrDefault(u.id, List.of())) {
                try {
                    if (space == null) {
                        space = packs.keySpaceOf(u.id);
                    }
                    store.putSealed(packs.readSealed(u.id, e), u.type, space);
                } catch (CorruptDataException bad) {
                    index.markDamaged(new ChunkLocation(u.id, u.type, e));
                    if (!ignoreDamaged) {
                        throw new CorruptDataException("prune stopped before deleting anything: " + bad.getMessage()
                                + "; 'strata repair snapshots' rewrites the snapshots that use it, or 'strata prune"
                                + " --ignore-damaged' prunes around it", bad);
                    }
                    problems.add(bad.getMessage());
                }
            }
            observer.packRepacked(u.id);
        }
        // Everything moved is durable and indexed before anything is condemned or deleted.
        store.flush();

        // Phase 1: what this run found unused is condemned; writers learn of it before it goes.
        Set<PackId> condemnNow = new HashSet<>();
        delete.forEach(u -> condemnNow.add(u.id));
        repack.forEach(u -> condemnNow.add(u.id));
        condemnNow.removeAll(readyPacks);
        List<Condemnation> waitingAfter = new ArrayList<>(waiting);
        if (!condemnNow.isEmpty()) {
            Condemnation fresh = Condemnation.of(condemnNow, repo.clock().instant(), repo.host().host());
            fresh.write(repo.backend(), repo.key());
            observer.stage("condemn");
            // With no writer unaware of it and no snapshot saved since the mark, it may go at once.
            if (Writers.read(repo).allKnow(fresh) && snapshotNames().equals(snapshotNames)) {
                ready.add(fresh);
            } else {
                waitingAfter.add(fresh);
            }
        }

        observer.stage("delete");
        Set<PackId> gone = new HashSet<>();
        for (Condemnation c : ready) {
            for (PackId id : c.packs()) {
                if (gone.add(id)) {
                    repo.backend().delete(PackReader.blobName(id));
                    observer.packDeleted(id);
                }
            }
        }
        index.removePacks(gone);
        // Last, once its packs are gone: a crash before this deletes them again, which is harmless.
        for (Condemnation c : ready) {
            repo.backend().delete(c.blobName());
        }

        observer.stage("index");
        // Index files name packs that are gone now, and every backup wrote one of its own: a few large
        // ones that describe what is there keep a new client's first open short (format.md §9.1).
        store.indexFileRewriter().rewrite(!gone.isEmpty());

        observer.stage("cleanup");
        // A writer running beside prune may be writing a temporary file right now; a crashed one's
        // files stop changing. With writers about, only files untouched for a day go. With none, only
        // files from before prune began: a writer that begins after the look at the locks below
        // writes newer ones. The margin covers a store whose clock is not this machine's.
        java.time.Instant now = repo.clock().instant();
        int staging = repo.backend().removeIncomplete(Writers.read(repo).none() ? began.minus(CLOCK_MARGIN)
                : now.minus(java.time.Duration.ofDays(1)));
        // What vanished packs held matters no more once nothing uses it.
        Set<PackId> remaining = index.packs().keySet();
        List<LostChunk> lostNow = index.allLost();
        Set<ChunkId> lostButReachable = marks.containedOf(lostNow.stream().map(l -> l.location().entry().id()).toList());
        index.forgetLost(lostNow.stream().filter(l -> !remaining.contains(l.location().pack())
                && !lostButReachable.contains(l.location().entry().id())).toList());
        Set<PackId> stillWaiting = Condemnation.packsOf(waitingAfter);
        long stillWaitingBytes = stillWaiting.stream().map(known::get).filter(java.util.Objects::nonNull)
                .mapToLong(PackRecord::size).sum();
        long freedNow = gone.stream().map(known::get).filter(java.util.Objects::nonNull).mapToLong(PackRecord::size).sum()
                - repackedBytes;
        int deletedNow = (int) gone.stream().filter(id -> !repack.stream().anyMatch(u -> u.id.equals(id))).count();
        return new PruneResult(snapshotCount, chunkCounts[0], chunkCounts[1], known.size(), deletedNow,
                repack.size(), totalBytes, Math.max(0, freedNow), repackedBytes, unusedBytes, staging, problems.size(),
                false, stillWaiting.size(), stillWaitingBytes, waitingFor(writers, waitingAfter));
    }

    /** Who holds back the deletion of {@code waiting} condemnations, one line each. */
    private List<String> waitingFor(Writers writers, List<Condemnation> waiting) throws IOException {
        if (waiting.isEmpty()) {
            return List.of();
        }
        Writers now = Writers.read(repo);
        Set<String> who = new java.util.LinkedHashSet<>();
        for (Condemnation c : waiting) {
            who.addAll(now.notKnowing(c));
        }
        return List.copyOf(who);
    }

    private Set<String> snapshotNames() throws IOException {
        Set<String> names = new HashSet<>();
        repo.backend().list(BlobType.SNAPSHOT).forEach(b -> names.add(b.name().name()));
        return names;
    }

    /** The live entries of the given packs, in file order (one pass over the index and the marks). */
    private Map<PackId, List<PackEntry>> liveEntriesOf(List<PackUsage> chosen, SortedChunkIds marks) throws IOException {
        Set<PackId> wanted = new HashSet<>();
        chosen.forEach(u -> wanted.add(u.id));
        Map<PackId, List<PackEntry>> out = new HashMap<>();
        LiveCopies.walk(index, marks, (loc, live) -> {
            if (live && wanted.contains(loc.pack())) {
                out.computeIfAbsent(loc.pack(), k -> new ArrayList<>()).add(loc.entry());
            }
        });
        out.values().forEach(l -> l.sort(Comparator.comparingLong(PackEntry::offset)));
        return out;
    }

    /** Adds one stored location to its pack's usage: live if marked and the first (primary) copy. */
    private static void account(ChunkLocation loc, boolean live, Map<PackId, PackUsage> usage, long[] counts) {
        PackUsage u = usage.get(loc.pack());
        if (u == null) {
            return;
        }
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
}
