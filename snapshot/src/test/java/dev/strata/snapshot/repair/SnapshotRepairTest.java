package dev.strata.snapshot.repair;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotOrigin;
import dev.strata.snapshot.Snapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repairing a file whose content is kept in content lists (more than 1024 chunks): lost chunks are
 * dropped from a file, become zeros of the same length in a disk image, and a lost content list loses
 * every chunk it names. The original snapshot goes, the repaired one reads back.
 */
class SnapshotRepairTest {
    private static final int CHUNKS = TreeStore.MAX_INLINE_REFERENCES + 200;

    @TempDir
    Path dir;
    private Repository repo;
    private TreeStore trees;
    private List<ChunkRef> refs;

    @BeforeEach
    void store() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        trees = new TreeStore(repo.store());
        refs = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            byte[] piece = RandomData.bytes(i, 100 + i % 50);
            refs.add(ChunkRef.chunk(repo.store().put(piece, PackType.DATA), piece.length));
        }
        repo.store().flush();
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    private Snapshot snapshot(SnapshotKind kind, FileContent content) throws IOException {
        Timestamp t = Timestamp.of(Instant.parse("2026-01-01T00:00:00Z"));
        Node file = Node.builder("big", NodeType.FILE).mode(0644).owner(0, 0, "", "").times(t, t, t).content(content).build();
        ChunkId root = trees.write(new Tree(List.of(file)));
        repo.store().flush();
        return new Snapshots(repo).save(new Snapshot(null, kind, Instant.parse("2026-01-01T00:00:00Z"), "h", "u", 0, 0,
                List.of("/big"), List.of(), null, root, List.of(), null, null));
    }

    private void lose(ChunkId id) {
        repo.index().markDamaged(repo.index().lookup(id).orElseThrow());
    }

    private Node fileOf(Snapshot s) throws IOException {
        return trees.read(s.tree()).find("big").orElseThrow();
    }

    @Test
    void aFile_dropsItsLostChunks() throws IOException {
        FileContent content = trees.storeContent(refs);
        assertTrue(content instanceof FileContent.Indirect);
        Snapshot original = snapshot(SnapshotKind.BACKUP, content);
        lose(refs.get(5).id());
        lose(refs.get(CHUNKS - 3).id());

        SnapshotRepair.Result r = new SnapshotRepair(repo).run(List.of(original), false, false);

        assertEquals(1, r.repaired().size());
        SnapshotRepair.Outcome o = r.repaired().get(0);
        assertEquals(List.of("/big"), o.changes().stream().map(SnapshotRepair.Change::path).toList());
        List<ChunkRef> expected = new ArrayList<>(refs);
        expected.remove(CHUNKS - 3);
        expected.remove(5);
        Node repaired = fileOf(o.replacement());
        assertEquals(expected, trees.refs(repaired.content()));
        assertEquals(content.size() - refs.get(5).length() - refs.get(CHUNKS - 3).length(), repaired.size());
        assertTrue(o.replacement().tags().contains(SnapshotRepair.TAG));
        List<Snapshot> left = new Snapshots(repo).list();
        assertEquals(List.of(o.replacement().id()), left.stream().map(Snapshot::id).toList(), "the original is gone");
    }

    @Test
    void aCopiedSnapshot_keepsItsOrigin_soCopyingAgainFindsIt() throws IOException {
        Snapshot plain = snapshot(SnapshotKind.BACKUP, trees.storeContent(refs));
        SnapshotOrigin origin = new SnapshotOrigin("0123456789abcdef0123456789abcdef", plain.id());
        Snapshot copied = new Snapshots(repo).save(plain.copiedAs(plain.tree(), null, origin));
        lose(refs.get(2).id());

        SnapshotRepair.Outcome o = new SnapshotRepair(repo).run(List.of(copied), false, false).repaired().get(0);

        assertEquals(origin, o.replacement().origin());
        assertEquals(origin, new Snapshots(repo).load(o.replacement().id()).origin(), "the origin is stored, not only held");
    }

    @Test
    void aDiskImage_keepsItsLength_lostChunksReadAsZeros() throws IOException {
        Snapshot original = snapshot(SnapshotKind.IMAGE, trees.storeContent(refs));
        lose(refs.get(7).id());

        SnapshotRepair.Outcome o = new SnapshotRepair(repo).run(List.of(original), false, true).repaired().get(0);

        Node repaired = fileOf(o.replacement());
        List<ChunkRef> now = trees.refs(repaired.content());
        assertEquals(fileOf(original).size(), repaired.size());
        assertEquals(ChunkRef.hole(refs.get(7).length()), now.get(7));
        assertEquals(refs.get(8), now.get(8));
        assertFalse(o.removed());
        assertEquals(2, new Snapshots(repo).list().size(), "--keep-original keeps it");
    }

    @Test
    void aLostContentList_losesEveryChunkItNames() throws IOException {
        FileContent.Indirect content = (FileContent.Indirect) trees.storeContent(refs);
        Snapshot original = snapshot(SnapshotKind.BACKUP, content);
        lose(content.blocks().get(0).list());

        SnapshotRepair.Result dry = new SnapshotRepair(repo).run(List.of(original), true, false);
        assertEquals(1, dry.repaired().size());
        assertEquals(null, dry.repaired().get(0).replacement());
        assertEquals(1, new Snapshots(repo).list().size(), "a dry run changes nothing");

        SnapshotRepair.Outcome o = new SnapshotRepair(repo).run(List.of(original), false, false).repaired().get(0);
        Node repaired = fileOf(o.replacement());
        assertEquals(content.size() - content.blocks().get(0).bytes(), repaired.size());
        assertTrue(o.changes().get(0).what().startsWith(content.blocks().get(0).references() + " chunk(s) lost"),
                o.changes().toString());
    }

    @Test
    void anIntactSnapshot_isLeftAlone() throws IOException {
        Snapshot original = snapshot(SnapshotKind.BACKUP, trees.storeContent(refs.subList(0, 10)));
        SnapshotRepair.Result r = new SnapshotRepair(repo).run(List.of(original), false, false);
        assertEquals(0, r.repaired().size());
        assertEquals(1, r.intact());
        assertEquals(List.of(original.id()), new Snapshots(repo).list().stream().map(Snapshot::id).toList());
    }
}
