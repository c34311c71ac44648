package dev.strata.core.store;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LostChunk;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackSalvage;
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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
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
            assertEquals(List.of(), report.salvaged());
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

    @ParameterizedTest
    @ValueSource(strings = {"table", "header", "trailer"})
    void rebuild_salvagesAPackWhoseTableCannotBeRead_andLosesNothing(String where) throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            List<Stored> stored = storeRandomData(repo, 5);
            Set<ChunkLocation> before = new HashSet<>(repo.index().allLocations());
            PackRecord victim = biggest(repo, PackType.DATA);
            Path file = packFile(repo, victim.id());
            long tableAt = repo.store().packReader().readTable(victim.id()).entries().stream()
                    .mapToLong(e -> e.end()).max().orElseThrow();
            ChunkStoreTest.flipByte(file, switch (where) {
                case "table" -> tableAt + 7;
                case "header" -> 30;
                default -> Files.size(file) - 14;
            });

            IndexSynchronizer.Report report = repo.store().synchronizer().rebuild();

            assertEquals(1, report.salvaged().size());
            assertTrue(report.damaged().get(0).contains(victim.id().toString()), report.damaged().toString());
            assertTrue(report.damaged().get(0).contains("nothing lost"), report.damaged().toString());
            assertEquals(before, new HashSet<>(repo.index().allLocations()));
            assertTrue(repo.index().packs().get(victim.id()).salvaged());
            assertReadable(repo, stored);
        }
    }

    @Test
    void aDeletedIndex_isRebuiltOnOpen_salvagingADamagedTable_andSaysSo() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        Set<ChunkLocation> before;
        List<Stored> stored;
        PackId victim;
        try (Repository repo = fixture.open()) {
            stored = storeRandomData(repo, 7);
            before = new HashSet<>(repo.index().allLocations());
            victim = biggest(repo, PackType.DATA).id();
            Path file = packFile(repo, victim);
            ChunkStoreTest.flipByte(file, Files.size(file) - 17);
        }
        deleteRecursively(fixture.indexFolder());
        try (Repository repo = fixture.open()) {
            assertEquals(1, repo.openSync().salvaged().size());
            assertTrue(repo.openSync().damaged().get(0).contains(victim.toString()));
            assertEquals(before, new HashSet<>(repo.index().allLocations()));
            assertReadable(repo, stored);
        }
    }

    @Test
    void aKnownPackCutShort_isNoticedByItsSize_andWhatItStillHoldsStaysReadable() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 9);
            PackRecord victim = biggest(repo, PackType.DATA);
            List<PackEntry> entries = repo.store().packReader().readTable(victim.id()).entries();
            int k = entries.size() / 2;
            PackEntry cutIn = entries.get(k);
            try (FileChannel ch = FileChannel.open(packFile(repo, victim.id()), StandardOpenOption.WRITE)) {
                ch.truncate(cutIn.offset() + 10);
            }

            IndexSynchronizer.Report report = repo.store().synchronizer().synchronize();

            assertEquals(1, report.salvaged().size());
            PackSalvage s = report.salvaged().get(0);
            assertEquals(entries.subList(0, k), s.entries());
            assertEquals(entries.subList(k, entries.size()), s.damaged());
            assertEquals(entries.subList(0, k), repo.index().entries(victim.id()));
            for (PackEntry e : entries.subList(k, entries.size())) {
                if (repo.index().lookup(e.id()).isEmpty()) {
                    assertEquals(LostChunk.Reason.DAMAGED, repo.index().lost(e.id()).get(0).reason());
                }
            }
            for (PackEntry e : entries.subList(0, k)) {
                assertTrue(repo.store().get(e.id()).length == e.rawLength());
            }
            assertEquals(0, repo.store().synchronizer().synchronize().salvaged().size(), "salvaged once");
        }
    }

    @Test
    void rebuild_afterACut_keepsEveryEntryTheOldIndexKnewBeforeTheCut() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 10);
            PackRecord victim = biggest(repo, PackType.DATA);
            List<PackEntry> entries = repo.store().packReader().readTable(victim.id()).entries();
            PackEntry last = entries.get(entries.size() - 1);
            try (FileChannel ch = FileChannel.open(packFile(repo, victim.id()), StandardOpenOption.WRITE)) {
                ch.truncate(last.end());
            }
            // The index was made before the cut, so it still records the old size; a rebuild reads anew.
            IndexSynchronizer.Report report = repo.store().synchronizer().rebuild();

            assertEquals(1, report.salvaged().size());
            assertEquals(entries, repo.index().entries(victim.id()));
            assertTrue(report.damaged().get(0).contains("nothing lost"), report.damaged().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "cut"})
    void aDamagedIndexCache_isSetAside_rebuiltFromThePacks_andSaidOnce(String damage) throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        List<Stored> stored;
        Set<ChunkLocation> before;
        try (Repository repo = fixture.open()) {
            stored = storeRandomData(repo, 12);
            before = new HashSet<>(repo.index().allLocations());
        }
        Path data = fixture.indexFolder().resolve("data.mdb");
        if (damage.equals("garbage")) {
            byte[] junk = new byte[(int) Files.size(data)];
            new SplittableRandom(4).nextBytes(junk);
            Files.write(data, junk);
        } else {
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 3);
            }
        }
        try (Repository repo = fixture.open()) {
            assertEquals(1, repo.openNotices().size(), repo.openNotices().toString());
            assertTrue(repo.openNotices().get(0).contains("was damaged"), repo.openNotices().toString());
            assertEquals(before, new HashSet<>(repo.index().allLocations()));
            assertReadable(repo, stored);
        }
        try (Repository repo = fixture.open()) {
            assertEquals(List.of(), repo.openNotices());
        }
    }

    private static PackRecord biggest(Repository repo, PackType type) {
        return repo.index().packs().values().stream().filter(p -> p.type() == type)
                .max(Comparator.comparingLong(PackRecord::size)).orElseThrow();
    }

    private static Path packFile(Repository repo, PackId id) {
        return ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(id).path());
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
            assertFalse(repo.index().allLost().isEmpty(), "what it held is remembered as missing");
            assertTrue(repo.index().allLost().stream().allMatch(l -> l.location().pack().equals(gone)
                    && l.reason() == LostChunk.Reason.MISSING));
        }
    }

    /**
     * When the listing holds the packs the index knows, with their sizes, synchronising reads none of
     * the pack records: the digest kept beside them says so. A record garbled in place (the digest
     * does not see it) shows that none was read; a pack added to the backend is still found.
     */
    @Test
    void synchronize_withTheSamePacksListed_readsNoPackRecord() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 11);
            repo.store().synchronizer().synchronize();
            PackId garbled = repo.index().packs().keySet().iterator().next();
            repo.lmdb().openTable("packs").put(garbled.bytes(), new byte[] {1, 2, 3});

            IndexSynchronizer.Report report = repo.store().synchronizer().synchronize();

            assertEquals(0, report.added());
            assertEquals(0, report.removed());
        }
    }

    @Test
    void synchronize_afterTheDigestWasLost_findsChangesAndKeepsTheDigestFromThenOn() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        try (Repository repo = fixture.open()) {
            storeRandomData(repo, 12);
            repo.lmdb().openTable("meta").delete("packSet".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(repo.index().packSet().isEmpty());
            PackId gone = repo.index().packs().keySet().iterator().next();
            repo.backend().delete(PackReader.blobName(gone));

            assertEquals(1, repo.store().synchronizer().synchronize().removed());

            assertTrue(repo.index().packSet().isPresent(), "made anew from the records");
            assertEquals(repo.index().packs().size(), repo.index().packSet().orElseThrow().count());
            assertEquals(0, repo.store().synchronizer().synchronize().removed());
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
