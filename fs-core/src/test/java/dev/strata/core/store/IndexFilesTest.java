package dev.strata.core.store;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Index files (docs/format.md §9.1): writers describe the packs they store, a client whose cache is
 * empty builds its index from them without reading a pack, falls back to the tables when a file is
 * damaged or describes too few of the packs it lacks, and prune's rewrite leaves few files that
 * describe every pack present.
 */
class IndexFilesTest {
    @TempDir
    Path dir;
    private int caches;

    private TestRepositories.Fixture fixture() {
        return TestRepositories.local(dir).small();
    }

    /** Stores {@code packs} tree packs (each blob fills the 64 KiB tree pack) in one session. */
    private void storePacks(int packs, long seed) throws IOException {
        try (Repository r = fixture().open(LockMode.APPEND)) {
            for (int i = 0; i < packs; i++) {
                r.store().put(RandomData.bytes(seed * 1000 + i, 70_000), PackType.TREE);
            }
            r.store().flush();
        }
    }

    private Set<String> locations(Repository r) {
        return r.index().allLocations().stream().map(l -> l.pack() + "/" + l.entry()).collect(Collectors.toSet());
    }

    /** Opens with a cache of its own, counting the backend's calls while it opens. */
    private Repository openFresh(FaultInjectingBackend counting) throws IOException {
        return TestRepositories.on(counting, dir.resolve("fresh-cache-" + caches++)).small().open(LockMode.READ);
    }

    private List<BlobInfo> indexFiles() throws IOException {
        return new LocalBackend(dir.resolve("repo")).list(BlobType.INDEX);
    }

    @Test
    void aClientWithAnEmptyCache_buildsItsIndexFromIndexFiles_readingNoPack() throws IOException {
        fixture().init();
        storePacks(40, 1);
        storePacks(3, 2);
        assertThat(indexFiles()).hasSize(2);
        Set<String> expected;
        try (Repository r = fixture().open(LockMode.READ)) {
            expected = locations(r);
        }
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        try (Repository r = openFresh(counting)) {
            assertThat(locations(r)).isEqualTo(expected);
            assertThat(r.index().packs()).hasSize(43);
        }
        assertThat(counting.calls(Operation.READ)).as("ranged reads of pack tables").isZero();
    }

    /**
     * A volume's packs (version 2, a longer header naming its key) are left out of index files: an
     * index file of them failed its checks at every client that read it, which then read their tables.
     */
    @Test
    void packsOfAVolumesKeySpace_areLeftOut_andTheRestIsStillReadFromIndexFiles() throws IOException {
        fixture().init();
        byte[] volumeId = new byte[16];
        java.util.Arrays.fill(volumeId, (byte) 0x5a);
        VolumeKeys keys = VolumeKeys.generate(volumeId, TestRepositories.SMALL_CHUNKS.minSize(),
                TestRepositories.SMALL_CHUNKS.avgSize(), TestRepositories.SMALL_CHUNKS.maxSize());
        try (Repository r = fixture().open(LockMode.APPEND)) {
            ChunkStore volume = r.volumeStore(keys);
            for (int i = 0; i < 40; i++) {
                r.store().put(RandomData.bytes(3000 + i, 70_000), PackType.TREE);
                volume.putDataChunk(RandomData.bytes(4000 + i, 30_000));
            }
            volume.flush();
            volume.close();
            r.store().flush();
        }
        Set<String> expected;
        try (Repository r = fixture().open(LockMode.READ)) {
            expected = locations(r);
        }
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        long volumePacks;
        try (Repository r = openFresh(counting)) {
            assertThat(locations(r)).isEqualTo(expected);
            volumePacks = r.index().packs().size() - 40;
        }
        assertThat(volumePacks).isPositive();
        assertThat(counting.calls(Operation.READ)).as("ranged reads: only the volume packs' tables")
                .isLessThanOrEqualTo(3 * volumePacks);
        assertThat(indexFiles()).as("one index file, of the repository's packs; none of the volume's").hasSize(1);
    }

    @Test
    void fewUnknownPacks_areReadByTheirTables_andADamagedIndexFileIsPassedOver() throws IOException {
        fixture().init();
        storePacks(5, 1);
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        try (Repository r = openFresh(counting)) {
            assertThat(r.index().packs()).hasSize(5);
        }
        assertThat(counting.calls(Operation.READ)).as("five tables read").isPositive();

        storePacks(40, 2);
        // The larger file describes the 40 packs.
        BlobInfo larger = indexFiles().stream().max(java.util.Comparator.comparingLong(BlobInfo::size)).orElseThrow();
        Path file = dir.resolve("repo").resolve(larger.name().path());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        try (Repository r = openFresh(new FaultInjectingBackend(new LocalBackend(dir.resolve("repo"))))) {
            assertThat(r.index().packs()).as("every pack, from its table").hasSize(45);
        }
    }

    @Test
    void aDescribedPackThatIsGone_isNotIndexed() throws IOException {
        fixture().init();
        storePacks(40, 1);
        PackId victim;
        try (Repository r = fixture().open(LockMode.READ)) {
            victim = r.index().packs().keySet().iterator().next();
        }
        Files.delete(dir.resolve("repo").resolve(PackReader.blobName(victim).path()));
        try (Repository r = openFresh(new FaultInjectingBackend(new LocalBackend(dir.resolve("repo"))))) {
            assertThat(r.index().packs()).hasSize(39).doesNotContainKey(victim);
        }
    }

    @Test
    void theRewrite_leavesOneFileDescribingEveryPackPresent_thoseNoFileDescribedToo() throws IOException {
        fixture().init();
        for (int i = 0; i < 4; i++) {
            storePacks(12, i);
        }
        // Packs of an earlier version of Strata: no index file describes them.
        for (BlobInfo f : indexFiles().subList(0, 2)) {
            Files.delete(dir.resolve("repo").resolve(f.name().path()));
        }
        PackId victim;
        try (Repository r = fixture().open(LockMode.APPEND)) {
            victim = r.index().packs().keySet().iterator().next();
            r.backend().delete(PackReader.blobName(victim));
            r.index().removePacks(Set.of(victim));
            IndexFileRewriter.Result result = r.store().indexFileRewriter().rewrite(true);
            assertThat(result.replaced()).isEqualTo(2);
            assertThat(result.written()).isEqualTo(1);
            assertThat(result.packs()).isEqualTo(47);
        }
        assertThat(indexFiles()).hasSize(1);
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        try (Repository r = openFresh(counting)) {
            assertThat(r.index().packs()).hasSize(47).doesNotContainKey(victim);
            Set<PackId> packs = new HashSet<>();
            for (ChunkLocation l : r.index().allLocations()) {
                packs.add(l.pack());
            }
            assertThat(packs).hasSize(47);
        }
        assertThat(counting.calls(Operation.READ)).isZero();
    }
}
