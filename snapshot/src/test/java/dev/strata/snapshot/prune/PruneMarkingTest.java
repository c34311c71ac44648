package dev.strata.snapshot.prune;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.refs.WalkedReachable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prune's marking (reachable ids in sorted runs, merged with the index in key order) against the
 * plan worked out the plain way: every reachable id in a set, each stored copy live when its chunk is
 * reachable and a lookup finds that copy. The repository shares chunks between files, folders and
 * snapshots, has a file long enough for indirect content lists, and garbage both never used and left
 * by a snapshot removed.
 */
class PruneMarkingTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private Repository repo;
    private TreeStore trees;

    @BeforeEach
    void open() throws IOException {
        TestRepositories.local(dir).small().init();
        repo = TestRepositories.local(dir).small().open(LockMode.PRUNE);
        trees = new TreeStore(repo.store());
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void plan_withChunksSharedAcrossSnapshots_isThePlanOfASetOfReachableIds() throws IOException {
        List<ChunkRef> chunks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = RandomData.bytes(i, 3000 + 37 * i);
            chunks.add(ChunkRef.chunk(repo.store().put(data, PackType.DATA), data.length));
        }
        Node a = file("a", chunks.subList(0, 40));
        Node b = file("b", chunks.subList(30, 80));
        Node c = file("c", chunks.subList(70, 120));
        Node d = file("d", chunks.subList(110, 160));
        List<ChunkRef> cycling = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            cycling.add(chunks.get(i % 50));
        }
        Node big = file("big", cycling);
        Node shared = folder("shared", a, b);
        save(c, shared);
        save(big, shared);
        Snapshot third = save(folder("again", b), d);
        // Chunks 160..199 were never used; d's (those not in c too) are garbage once its snapshot goes.
        new Snapshots(repo).delete(third.id());

        Expected expected = plainPlan();
        assertThat(expected.deleted).isPositive();
        assertThat(expected.repacked).isPositive();

        PruneResult dry = new Prune(repo).run(0, true, PruneObserver.NONE);
        assertThat(dry.chunksUsed()).isEqualTo(expected.used);
        assertThat(dry.chunksUnused()).isEqualTo(expected.unused);
        assertThat(dry.packsDeleted()).isEqualTo(expected.deleted);
        assertThat(dry.packsRepacked()).isEqualTo(expected.repacked);
        assertThat(dry.bytesFreed()).isEqualTo(expected.freed);
        assertThat(dry.bytesRepacked()).isEqualTo(expected.repackedBytes);

        PruneResult done = new Prune(repo).run(0, false, PruneObserver.NONE);
        assertThat(done.chunksUsed()).isEqualTo(expected.used);
        Set<ChunkId> reachable = reachable();
        for (ChunkId id : reachable) {
            assertThat(repo.store().get(id)).isNotNull();
        }
        Set<ChunkId> indexed = new HashSet<>();
        repo.index().forEachLocation(loc -> indexed.add(loc.entry().id()));
        assertThat(indexed).isEqualTo(reachable);
        assertThat(Files.list(repo.lmdb().folder().resolve("runs")).toList())
                .as("the sorted runs are deleted").isEmpty();
    }

    private record Expected(long used, long unused, int deleted, int repacked, long freed, long repackedBytes) {
    }

    /** The plan as a set of every reachable id and a lookup per stored copy give it. */
    private Expected plainPlan() throws IOException {
        Set<ChunkId> reachable = reachable();
        Map<PackId, long[]> usage = new HashMap<>();
        for (PackRecord p : repo.index().packs().values()) {
            usage.put(p.id(), new long[3]);
        }
        long used = 0;
        long unused = 0;
        for (ChunkLocation loc : repo.index().allLocations()) {
            ChunkId id = loc.entry().id();
            boolean live = reachable.contains(id)
                    && repo.index().lookup(id).map(first -> first.pack().equals(loc.pack())).orElse(false);
            long[] u = usage.get(loc.pack());
            u[live ? 0 : 1] += loc.entry().storedLength();
            u[2] += live ? 1 : 0;
            if (live) {
                used++;
            } else {
                unused++;
            }
        }
        int deleted = 0;
        int repacked = 0;
        long freed = 0;
        long repackedBytes = 0;
        Map<PackId, PackRecord> packs = repo.index().packs();
        for (Map.Entry<PackId, long[]> e : usage.entrySet()) {
            long size = packs.get(e.getKey()).size();
            long[] u = e.getValue();
            if (u[2] == 0) {
                deleted++;
                freed += size;
            } else if (u[1] > 0) {
                repacked++;
                freed += size - u[0];
                repackedBytes += u[0];
            }
        }
        return new Expected(used, unused, deleted, repacked, freed, repackedBytes);
    }

    private Set<ChunkId> reachable() throws IOException {
        return WalkedReachable.of(repo, trees, new HashSet<>());
    }

    private Node file(String name, List<ChunkRef> refs) throws IOException {
        Timestamp t = Timestamp.of(T);
        return Node.builder(name, NodeType.FILE).mode(0644).owner(0, 0, "", "").times(t, t, t)
                .content(trees.storeContent(List.copyOf(refs))).build();
    }

    private Node folder(String name, Node... nodes) throws IOException {
        Timestamp t = Timestamp.of(T);
        return Node.builder(name, NodeType.DIRECTORY).mode(0755).owner(0, 0, "", "").times(t, t, t)
                .subtree(trees.write(new Tree(List.of(nodes)))).build();
    }

    private Snapshot save(Node... nodes) throws IOException {
        ChunkId root = trees.write(new Tree(List.of(nodes)));
        repo.store().flush();
        return new Snapshots(repo).save(new Snapshot(null, SnapshotKind.BACKUP, T, "h", "u", 0, 0, List.of("/"),
                List.of(), null, root, List.of(), null, null));
    }
}
