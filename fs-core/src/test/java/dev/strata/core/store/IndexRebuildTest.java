package dev.strata.core.store;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index is a cache: rebuilt from the packs alone, it says exactly what it said before. */
class IndexRebuildTest {
    @TempDir
    Path dir;

    /** What a pack record says apart from its number, which is local to one index. */
    private record PackFacts(PackId id, PackType type, long size, int entries) {
        static Map<PackId, PackFacts> of(Map<PackId, PackRecord> records) {
            Map<PackId, PackFacts> out = new HashMap<>();
            records.forEach((id, r) -> out.put(id, new PackFacts(id, r.type(), r.size(), r.entryCount())));
            return out;
        }
    }

    private record Stored(byte[] data, List<ChunkRef> refs) {
    }

    private static List<Stored> storeRandomData(Repository repo, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<Stored> out = new ArrayList<>();
        int streams = 2 + r.nextInt(3);
        for (int i = 0; i < streams; i++) {
            byte[] data = RandomData.mixed(r.nextLong(), 200_000 + r.nextInt(1_500_000));
            out.add(new Stored(data, repo.store().putStream(RandomData.channel(data))));
            for (int t = 0; t < 1 + r.nextInt(20); t++) {
                repo.store().put(RandomData.text(r.nextLong(), 100 + r.nextInt(30_000)), PackType.TREE);
            }
            if (r.nextBoolean()) {
                repo.store().flush();
            }
        }
        repo.store().flush();
        return out;
    }

    private static void assertReadable(Repository repo, List<Stored> stored) throws IOException {
        for (Stored s : stored) {
            assertArrayEquals(s.data(), ChunkStoreTest.reassemble(repo.store(), s.refs()));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 22, 33, 44})
    void rebuild_andADeletedIndex_giveTheSameLocations(long seed) throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        Set<ChunkLocation> before;
        Map<PackId, PackFacts> packsBefore;
        List<Stored> stored;
        try (Repository repo = fixture.open()) {
            stored = storeRandomData(repo, seed);
            List<ChunkLocation> all = repo.index().allLocations();
            before = new HashSet<>(all);
            assertEquals(all.size(), before.size());
            packsBefore = PackFacts.of(repo.index().packs());
            assertTrue(packsBefore.size() >= 2, "several packs: " + packsBefore.size());

            IndexSynchronizer.Report report = repo.store().synchronizer().rebuild();

            assertEquals(packsBefore.size(), report.added());
            assertEquals(List.of(), report.damaged());
            List<ChunkLocation> rebuilt = repo.index().allLocations();
            assertEquals(before.size(), rebuilt.size());
            assertEquals(before, new HashSet<>(rebuilt));
            assertEquals(packsBefore, PackFacts.of(repo.index().packs()));
            assertReadable(repo, stored);
        }

        deleteRecursively(fixture.indexFolder());
        try (Repository repo = fixture.open()) {
            assertEquals(packsBefore.size(), repo.openSync().added());
            assertEquals(before, new HashSet<>(repo.index().allLocations()));
            assertEquals(before.size(), repo.index().allLocations().size());
            assertEquals(packsBefore, PackFacts.of(repo.index().packs()));
            for (ChunkLocation loc : before) {
                assertEquals(loc, repo.index().lookup(loc.entry().id()).orElseThrow());
            }
            assertReadable(repo, stored);
        }
    }

    @Test
    void rebuild_reportsADamagedPack_andIndexesTheRest() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 5);
            Map<PackId, PackRecord> packs = repo.index().packs();
            PackId victim = packs.keySet().iterator().next();
            Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(victim).path());
            // The last byte before the trailer belongs to the table envelope's tag.
            ChunkStoreTest.flipByte(file, Files.size(file) - 17);

            IndexSynchronizer.Report report = repo.store().synchronizer().rebuild();

            assertEquals(packs.size() - 1, report.added());
            assertEquals(1, report.damaged().size());
            assertTrue(report.damaged().get(0).contains(victim.toString()), report.damaged().toString());
            assertFalse(repo.index().containsPack(victim));
            assertEquals(packs.size() - 1, repo.index().packs().size());
        }
    }

    @Test
    void synchronize_forgetsAPackThatIsGone() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 6);
            Map<PackId, PackRecord> packs = repo.index().packs();
            PackId gone = packs.keySet().iterator().next();
            repo.backend().delete(PackReader.blobName(gone));

            IndexSynchronizer.Report report = repo.store().synchronizer().synchronize();

            assertEquals(1, report.removed());
            assertEquals(0, report.added());
            assertFalse(repo.index().containsPack(gone));
            assertTrue(repo.index().allLocations().stream().noneMatch(l -> l.pack().equals(gone)));
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
