package dev.strata.core.store;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.Hex;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.InjectedFault;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An empty cache built from index files in one go (docs/format.md §9.2) holds exactly what taking
 * the files' packs one transaction at a time would: the same pack numbers, entries, duplicates in the
 * same order, the same files marked read and the same digest; and a build that fails halfway leaves
 * an empty cache that the next synchronisation builds whole.
 */
class IndexBuildFromFilesTest {
    @TempDir
    Path dir;
    private int caches;

    private TestRepositories.Fixture fixture() {
        return TestRepositories.local(dir).small();
    }

    private Path repo() {
        return dir.resolve("repo");
    }

    /** Tree packs (each blob fills the 64 KiB tree pack) stored by {@code r}, flushed. */
    private static void storePacks(Repository r, int packs, long seed) throws IOException {
        for (int i = 0; i < packs; i++) {
            r.store().put(RandomData.bytes(seed * 1000 + i, 70_000), PackType.TREE);
        }
        r.store().flush();
    }

    /**
     * Index files describing 60 packs: a chunk stored twice by two writers that did not know of each
     * other (two packs hold it), and files superseded by a rewrite left beside the file that replaced
     * them (two files describe the same packs), as while a prune's rewrite is under way.
     */
    private ChunkId repositoryWithDuplicates() throws IOException {
        fixture().init();
        try (Repository r = fixture().open(LockMode.APPEND)) {
            storePacks(r, 20, 1);
        }
        ChunkId twice;
        try (Repository a = fixture().open(LockMode.APPEND);
             Repository b = TestRepositories.on(new LocalBackend(repo()), dir.resolve("writer-b")).small()
                     .open(LockMode.APPEND)) {
            byte[] same = RandomData.bytes(99, 70_000);
            twice = a.store().put(same, PackType.TREE);
            assertThat(b.store().put(same, PackType.TREE)).isEqualTo(twice);
            storePacks(a, 15, 2);
            storePacks(b, 15, 3);
        }
        Map<Path, byte[]> superseded = new HashMap<>();
        for (BlobInfo f : new LocalBackend(repo()).list(BlobType.INDEX)) {
            Path p = repo().resolve(f.name().path());
            superseded.put(p, Files.readAllBytes(p));
        }
        try (Repository r = fixture().open(LockMode.APPEND)) {
            storePacks(r, 8, 4);
            assertThat(r.store().indexFileRewriter().rewrite(true).written()).isPositive();
        }
        for (Map.Entry<Path, byte[]> e : superseded.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
        return twice;
    }

    /** A repository opened on a cache of its own, not synchronised yet. */
    private Repository openUnsynced(FaultInjectingBackend backend) throws IOException {
        TestRepositories.Fixture f = TestRepositories.on(backend, dir.resolve("cache-" + caches++)).small();
        return Repository.open(backend, TestRepositories.PASSWORD.toCharArray(),
                f.openOptions(LockMode.READ).withoutIndexSync(), f.clock(), f.host());
    }

    private static IndexSynchronizer synchronizer(Repository r, boolean bulkBuild) {
        return new IndexSynchronizer(r.backend(), r.index(), r.store().packReader(), r.store().salvager(),
                r.key().dataCipher(), bulkBuild);
    }

    /** What the index holds, in the order it holds it, and which listed index files it has read. */
    private record Held(Map<PackId, ?> packs, List<ChunkLocation> locations, Object packSet, List<String> filesRead,
                        int nextNumber) {
    }

    private static Held held(Repository r) throws IOException {
        LmdbIndex index = r.index();
        List<String> read = new ArrayList<>();
        for (BlobInfo f : r.backend().list(BlobType.INDEX)) {
            if (index.hasReadIndexFile(Hex.decode(f.name().name()))) {
                read.add(f.name().name());
            }
        }
        // The number the next pack gets: a pack added now and forgotten again.
        byte[] raw = new byte[PackId.LENGTH];
        java.util.Arrays.fill(raw, (byte) 0x7e);
        PackId probe = PackId.of(raw);
        Map<PackId, ?> packs = index.packs();
        List<ChunkLocation> locations = index.allLocations();
        Object packSet = index.packSet().orElse(null);
        index.addPack(probe, PackType.DATA, 1, List.of());
        int next = index.packs().get(probe).number();
        index.removePacks(java.util.Set.of(probe));
        return new Held(packs, locations, packSet, read, next);
    }

    private Held incremental() throws IOException {
        try (Repository r = openUnsynced(new FaultInjectingBackend(new LocalBackend(repo())))) {
            synchronizer(r, false).synchronize();
            return held(r);
        }
    }

    @Test
    void aBuildInOneGo_holdsWhatTakingThePacksOneTransactionAtATimeHolds() throws IOException {
        ChunkId twice = repositoryWithDuplicates();
        Held expected = incremental();
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(repo()));
        try (Repository r = openUnsynced(counting)) {
            IndexSynchronizer.Report report = synchronizer(r, true).synchronize();
            Held built = held(r);
            assertThat(report.added()).isEqualTo(expected.packs().size());
            assertThat(built).isEqualTo(expected);
            List<ChunkLocation> copies = built.locations().stream().filter(l -> l.entry().id().equals(twice)).toList();
            assertThat(copies).as("the chunk both writers stored").hasSize(2);
            assertThat(r.index().lookup(twice)).contains(copies.get(0));
            assertThat(r.lmdb().folder().resolve("runs")).as("the sorted runs are gone")
                    .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        }
        assertThat(counting.calls(Operation.READ)).as("ranged reads of pack tables").isZero();
        assertThat(expected.packs()).as("every blob fills a pack of its own").hasSize(20 + 16 + 16 + 8);
        assertThat(expected.filesRead()).as("the rewritten file and those it superseded").hasSize(5);
    }

    @Test
    void aBuildThatFailsReadingAnIndexFile_leavesTheCacheEmpty_andTheNextSynchronisationBuildsItWhole()
            throws IOException {
        repositoryWithDuplicates();
        Held expected = incremental();
        FaultInjectingBackend faulty = new FaultInjectingBackend(new LocalBackend(repo()));
        try (Repository r = openUnsynced(faulty)) {
            faulty.failCall(Operation.GET, 3);
            assertThatThrownBy(() -> synchronizer(r, true).synchronize()).isInstanceOf(InjectedFault.class);
            assertThat(r.index().packs()).as("nothing of the build committed").isEmpty();
            assertThat(r.index().allLocations()).isEmpty();
            for (BlobInfo f : r.backend().list(BlobType.INDEX)) {
                assertThat(r.index().hasReadIndexFile(Hex.decode(f.name().name()))).isFalse();
            }
            faulty.heal();
            synchronizer(r, true).synchronize();
            assertThat(held(r)).isEqualTo(expected);
        }
    }

    @Test
    void aCacheThatHoldsPacksAlready_takesNewOnesOneTransactionAtATime_withTheSameResult() throws IOException {
        repositoryWithDuplicates();
        Held expected = incremental();
        try (Repository r = openUnsynced(new FaultInjectingBackend(new LocalBackend(repo())))) {
            PackId known = expected.packs().keySet().iterator().next();
            List<PackEntry> entries = r.store().packReader().readTable(known).entries();
            r.index().addPack(known, PackType.TREE, r.backend().size(dev.strata.core.pack.PackReader.blobName(known)), entries);
            assertThat(r.index().startBuild()).as("not empty: no build").isEmpty();
            synchronizer(r, true).synchronize();
            assertThat(r.index().packs().keySet()).isEqualTo(expected.packs().keySet());
            assertThat(r.index().allLocations()).containsExactlyInAnyOrderElementsOf(expected.locations());
        }
    }
}
