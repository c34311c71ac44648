package dev.strata.snapshot.check;

import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Check's marking of what the snapshots reach (sorted runs, as prune marks) against the answers
 * worked out the plain way, with every reachable id in a set: the count of distinct data chunks, the
 * packs that hold nothing reached, and which lost chunks snapshots still use. Chunks are shared
 * between files, folders and snapshots, one file is long enough for indirect content lists, and there
 * is garbage both never used and left by a snapshot removed.
 */
class CheckMarkingTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
    private static final LongConsumer NO_PROGRESS = n -> { };

    @TempDir
    Path dir;
    private Repository repo;
    private TreeStore trees;
    private List<ChunkRef> used;
    private List<ChunkRef> shared;
    private Snapshot first;

    @BeforeEach
    void open() throws IOException {
        TestRepositories.local(dir).small().init();
        repo = TestRepositories.local(dir).small().open(LockMode.PRUNE);
        trees = new TreeStore(repo.store());
        used = chunks(0, 40);       // one pack
        shared = chunks(40, 40);    // another, used by two files, two folders and two snapshots
        List<ChunkRef> never = chunks(80, 20);
        List<ChunkRef> removed = chunks(100, 20);
        assertThat(packOf(never)).isNotEqualTo(packOf(removed));

        List<ChunkRef> cycling = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            cycling.add(shared.get(i % shared.size()));
        }
        Node common = folder("common", file("a", used), file("b", shared));
        List<ChunkRef> cRefs = new ArrayList<>(shared.subList(0, 20));
        cRefs.addAll(used.subList(0, 5));
        first = save(T, file("c", cRefs), common);
        save(T.plusSeconds(60), file("big", cycling), common);
        Snapshot third = save(T.plusSeconds(120), file("d", removed));
        new Snapshots(repo).delete(third.id());
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void run_intactRepository_countsAndUnusedPacksAreThoseOfASetOfReachableIds() throws IOException {
        Set<ChunkId> reachableTrees = new HashSet<>();
        Set<ChunkId> reachable = reachable(reachableTrees);
        int unusedPacks = unusedPacks(reachable);
        assertThat(unusedPacks).as("the never-used pack and the removed snapshot's").isGreaterThanOrEqualTo(2);

        CheckReport report = new Check(repo).run(CheckRequest.STRUCTURE, NO_PROGRESS);

        assertThat(report.errors()).isEmpty();
        assertThat(report.snapshots()).isEqualTo(2);
        assertThat(report.trees()).isEqualTo(reachableTrees.size());
        assertThat(report.dataChunks()).isEqualTo(reachable.size() - reachableTrees.size()).isEqualTo(80);
        assertThat(report.notes()).containsExactly(
                unusedPacks + " pack(s) hold only data no snapshot uses; 'strata prune' removes them");
        assertThat(Files.list(repo.lmdb().folder().resolve("runs")).toList())
                .as("the sorted runs are deleted").isEmpty();
    }

    @Test
    void run_packOfSharedChunksMissing_namesEachLostChunkOnceAndThePackAsUsed() throws IOException {
        PackId lost = packOf(shared);
        repo.backend().delete(BlobName.of(BlobType.PACK, lost.toString()));

        CheckReport report = new Check(repo).run(CheckRequest.STRUCTURE, NO_PROGRESS);

        String where = " chunks lost (in pack " + lost + ", which is missing)";
        String at = "snapshot " + first.shortId() + ":/";
        // The second snapshot refers to the same lost chunks (its own file and the shared folder): each
        // chunk is named once, at its first reference, so only the first snapshot has lines.
        assertThat(report.errors()).containsExactly(
                at + "c: 20" + where,
                at + "common/b: 20" + where,
                "pack " + lost + " is missing from the repository (40 chunk(s) were in it);"
                        + " snapshots use 40 chunk(s) lost with it");
        assertThat(report.affectedSnapshots()).isEqualTo(1);
        assertThat(report.dataChunks()).isEqualTo(80);
    }

    private Set<ChunkId> reachable(Set<ChunkId> treesOut) throws IOException {
        return WalkedReachable.of(repo, trees, treesOut);
    }

    /** Packs none of whose stored chunks is reachable. */
    private int unusedPacks(Set<ChunkId> reachable) {
        Set<PackId> live = new HashSet<>();
        for (ChunkLocation loc : repo.index().allLocations()) {
            if (reachable.contains(loc.entry().id())) {
                live.add(loc.pack());
            }
        }
        Set<PackId> all = new HashSet<>(repo.index().packs().keySet());
        all.removeAll(live);
        return all.size();
    }

    /** {@code n} new data chunks, stored together in a pack of their own. */
    private List<ChunkRef> chunks(int seed, int n) throws IOException {
        List<ChunkRef> out = new ArrayList<>();
        for (int i = seed; i < seed + n; i++) {
            byte[] data = RandomData.bytes(i, 3000 + 37 * i);
            out.add(ChunkRef.chunk(repo.store().put(data, PackType.DATA), data.length));
        }
        repo.store().flush();
        assertThat(out.stream().map(r -> repo.index().lookup(r.id()).orElseThrow().pack()).distinct()).hasSize(1);
        return out;
    }

    private PackId packOf(List<ChunkRef> refs) {
        return repo.index().lookup(refs.get(0).id()).orElseThrow().pack();
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

    private Snapshot save(Instant time, Node... nodes) throws IOException {
        ChunkId root = trees.write(new Tree(List.of(nodes)));
        repo.store().flush();
        return new Snapshots(repo).save(new Snapshot(null, SnapshotKind.BACKUP, time, "h", "u", 0, 0, List.of("/"),
                List.of(), null, root, List.of(), null, null));
    }
}
