package dev.strata.snapshot.copy;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.tree.Xattr;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotOrigin;
import dev.strata.snapshot.Snapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Copying snapshots between repositories of different keys: trees are encoded again with the target's
 * ids and read back the same, the records keep their fields, a second copy reads and stores nothing,
 * and a copy interrupted by a failing upload resumes without storing a chunk twice.
 */
class SnapshotCopyTest {
    /** More than fit inline, so the big file's references are in content lists. */
    private static final int BIG_CHUNKS = TreeStore.MAX_INLINE_REFERENCES + 300;
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final Instant T2 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;
    private TestRepositories.Fixture sourceFixture;
    private TestRepositories.Fixture targetFixture;
    private FaultInjectingBackend targetBackend;
    private Repository source;
    private Snapshot first;
    private Snapshot second;

    @BeforeEach
    void makeSource() throws IOException {
        sourceFixture = TestRepositories.local(dir.resolve("a")).small().init();
        targetBackend = new FaultInjectingBackend(new LocalBackend(dir.resolve("b/repo")));
        targetFixture = TestRepositories.on(targetBackend, dir.resolve("b/cache")).small().password("another password").init();
        source = sourceFixture.open(LockMode.READ);
        TreeStore trees = new TreeStore(source.store());
        List<ChunkRef> big = new ArrayList<>();
        for (int i = 0; i < BIG_CHUNKS; i++) {
            byte[] piece = RandomData.bytes(i, 1500 + i % 500);
            big.add(ChunkRef.chunk(source.store().put(piece, PackType.DATA), piece.length));
        }
        big.add(ChunkRef.hole(4096));
        byte[] small = "a small file\n".getBytes(StandardCharsets.UTF_8);
        List<ChunkRef> smallRefs = List.of(ChunkRef.chunk(source.store().put(small, PackType.DATA), small.length));
        Node sub = dir("sub", trees.write(new Tree(List.of(
                file("small", trees.storeContent(smallRefs)),
                Node.builder("link", NodeType.SYMLINK).mode(0777).times(ts(1), ts(2), ts(3)).linkTarget("../big".getBytes()).build()))));
        ChunkId root1 = trees.write(new Tree(List.of(file("big", trees.storeContent(big)), sub)));
        // The second snapshot shares the big file and adds one that shares its chunks.
        ChunkId root2 = trees.write(new Tree(List.of(file("big", trees.storeContent(big)),
                file("copy-of-part", trees.storeContent(big.subList(0, 50))), sub)));
        source.store().flush();
        Snapshots snaps = new Snapshots(source);
        first = snaps.save(new Snapshot(null, SnapshotKind.BACKUP, T1, "laptop", "ana", 1000, 1000,
                List.of("/home/ana"), List.of("daily", "keep"), null, root1, List.of("*.tmp"), null, null));
        second = snaps.save(new Snapshot(null, SnapshotKind.BACKUP, T2, "laptop", "ana", 1000, 1000,
                List.of("/home/ana"), List.of(), first.id(), root2, List.of(), null, null));
    }

    @AfterEach
    void close() throws IOException {
        source.close();
    }

    private static Timestamp ts(long s) {
        return Timestamp.of(Instant.ofEpochSecond(1_700_000_000L + s, 123));
    }

    private static Node file(String name, FileContent content) {
        return Node.builder(name, NodeType.FILE).mode(0640).owner(1000, 100, "ana", "users").times(ts(1), ts(2), ts(3))
                .identity(77, 5, 1).xattrs(List.of(new Xattr("user.note", "kept".getBytes()))).content(content).build();
    }

    private static Node dir(String name, ChunkId tree) {
        return Node.builder(name, NodeType.DIRECTORY).mode(0750).owner(1000, 100, "ana", "users").times(ts(4), ts(5), ts(6))
                .subtree(tree).build();
    }

    private SnapshotCopy.Result copy(List<Snapshot> which) throws IOException {
        try (Repository target = targetFixture.open(LockMode.APPEND)) {
            return new SnapshotCopy(source, target).copy(which, i -> { });
        }
    }

    @Test
    void copy_keepsTheRecordsFields_andEveryFileReadsBackTheSame() throws IOException {
        SnapshotCopy.Result r = copy(List.of(first, second));
        assertThat(r.copied()).hasSize(2);
        assertThat(r.present()).isEmpty();
        try (Repository target = targetFixture.open(LockMode.READ)) {
            List<Snapshot> copies = new Snapshots(target).list();
            assertThat(copies).hasSize(2);
            Snapshot c1 = copies.get(0);
            Snapshot c2 = copies.get(1);
            assertThat(List.of(c1.kind(), c1.time(), c1.host(), c1.user(), c1.paths(), c1.tags(), c1.excludes()))
                    .isEqualTo(List.of(first.kind(), first.time(), first.host(), first.user(), first.paths(), first.tags(), first.excludes()));
            assertThat(c1.origin()).isEqualTo(new SnapshotOrigin(source.config().idHex(), first.id()));
            assertThat(c2.parent()).as("the parent is the parent's copy").isEqualTo(c1.id());
            assertThat(c1.tree()).as("ids differ between keys").isNotEqualTo(first.tree());
            assertSameTree(new TreeStore(source.store()), first.tree(), new TreeStore(target.store()), c1.tree());
            assertSameTree(new TreeStore(source.store()), second.tree(), new TreeStore(target.store()), c2.tree());
        }
    }

    @Test
    void copyingAgain_readsNoDataAndStoresNothing() throws IOException {
        copy(List.of(first));
        long puts = targetBackend.calls(Operation.PUT) + targetBackend.calls(Operation.PUT_FILE);
        SnapshotCopy.Result again = copy(List.of(first));
        assertThat(again.copied()).isEmpty();
        assertThat(again.present()).hasSize(1);
        assertThat(again.chunksRead() + again.chunksStored()).isZero();
        // The second snapshot shares all its data with the first: only trees are new.
        SnapshotCopy.Result next = copy(List.of(first, second));
        assertThat(next.copied()).extracting(i -> i.source().id()).containsExactly(second.id());
        assertThat(next.chunksRead()).as("data chunks read from the source").isZero();
        assertThat(next.chunksKnown()).isEqualTo(BIG_CHUNKS + 1);
        long putsBefore = targetBackend.calls(Operation.PUT) + targetBackend.calls(Operation.PUT_FILE);
        assertThat(copy(List.of(first, second)).chunksStored()).isZero();
        // Two lock files come and go per run; nothing else is written.
        assertThat(targetBackend.calls(Operation.PUT) + targetBackend.calls(Operation.PUT_FILE) - putsBefore).isLessThanOrEqualTo(2);
        assertThat(puts).isPositive();
    }

    @Test
    void anInterruptedCopy_resumesWithoutStoringAChunkTwice() throws IOException {
        // Data packs are 1 MiB and the big file about 2.3 MiB of incompressible chunks: the second pack's upload fails.
        targetBackend.failCall(Operation.PUT_FILE, 2);
        assertThatThrownBy(() -> copy(List.of(first, second))).isInstanceOf(IOException.class);
        targetBackend.heal();
        long storedFirstTime;
        try (Repository target = targetFixture.open(LockMode.READ)) {
            assertThat(new Snapshots(target).list()).as("no record before its data").isEmpty();
            storedFirstTime = target.index().stats().chunks();
        }
        assertThat(storedFirstTime).as("the first run stored something").isPositive();
        SnapshotCopy.Result resumed = copy(List.of(first, second));
        assertThat(resumed.copied()).hasSize(2);
        assertThat(resumed.chunksKnown()).as("chunks stored by the first run are not read again").isPositive();
        try (Repository target = targetFixture.open(LockMode.READ)) {
            Map<ChunkId, Integer> copies = new HashMap<>();
            for (ChunkLocation loc : target.index().allLocations()) {
                copies.merge(loc.entry().id(), 1, Integer::sum);
            }
            assertThat(copies.values()).as("every chunk stored once").allMatch(n -> n == 1);
            List<Snapshot> list = new Snapshots(target).list();
            assertSameTree(new TreeStore(source.store()), first.tree(), new TreeStore(target.store()), list.get(0).tree());
            assertSameTree(new TreeStore(source.store()), second.tree(), new TreeStore(target.store()), list.get(1).tree());
        }
    }

    @Test
    void copyingACopyBack_findsTheOriginal() throws IOException {
        copy(List.of(first));
        try (Repository target = targetFixture.open(LockMode.READ)) {
            List<Snapshot> copies = new Snapshots(target).list();
            SnapshotCopy.Result back = new SnapshotCopy(target, source).copy(copies, i -> { });
            assertThat(back.copied()).isEmpty();
            assertThat(back.present()).extracting(i -> i.copy().id()).containsExactly(first.id());
        }
    }

    /** The two trees hold the same names, metadata and bytes, whatever their ids. */
    private static void assertSameTree(TreeStore a, ChunkId aId, TreeStore b, ChunkId bId) throws IOException {
        Tree ta = a.read(aId);
        Tree tb = b.read(bId);
        assertThat(tb.nodes()).hasSameSizeAs(ta.nodes());
        for (int i = 0; i < ta.nodes().size(); i++) {
            Node na = ta.nodes().get(i);
            Node nb = tb.nodes().get(i);
            assertThat(nb.sameMetadata(na)).as(na.name()).isTrue();
            assertThat(List.of(nb.atime(), nb.ctime(), nb.inode(), nb.device(), nb.links(), nb.size(), nb.user(), nb.group()))
                    .isEqualTo(List.of(na.atime(), na.ctime(), na.inode(), na.device(), na.links(), na.size(), na.user(), na.group()));
            if (na.isDirectory()) {
                assertSameTree(a, na.subtree(), b, nb.subtree());
            } else if (na.isFile()) {
                assertThat(nb.content().getClass()).isEqualTo(na.content().getClass());
                assertThat(bytes(b, nb.content())).as(na.name()).isEqualTo(bytes(a, na.content()));
                assertThat(Set.copyOf(b.chunkIds(nb.content()))).as("target ids, not the source's")
                        .doesNotContainAnyElementsOf(new HashSet<>(a.chunkIds(na.content())));
            }
        }
    }

    private static byte[] bytes(TreeStore trees, FileContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChunkRef r : trees.refs(content)) {
            out.write(r.isHole() ? new byte[(int) r.length()] : trees.chunks().get(r.id()));
        }
        return out.toByteArray();
    }
}
