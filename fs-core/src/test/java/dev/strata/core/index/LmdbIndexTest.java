package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmdbIndexTest {
    private static final byte[] REPO = repoId(1);
    private static final byte[] OTHER_REPO = repoId(2);

    @TempDir
    Path dir;

    private LmdbIndex index;
    private final SplittableRandom random = new SplittableRandom(42);

    @BeforeEach
    void open() throws IOException {
        index = LmdbIndex.open(dir.resolve("index"), REPO);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private static byte[] repoId(int b) {
        byte[] id = new byte[16];
        id[0] = (byte) b;
        return id;
    }

    private ChunkId randomChunkId() {
        return randomChunkId(-1);
    }

    /** A random id, with its first byte forced when {@code firstByte} is 0..255. */
    private ChunkId randomChunkId(int firstByte) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        if (firstByte >= 0) {
            b[0] = (byte) firstByte;
        }
        return ChunkId.of(b);
    }

    /** A pack's entries for {@code ids}, laid out back to back after the header as a writer would. */
    private List<PackEntry> entries(List<ChunkId> ids) {
        List<PackEntry> out = new ArrayList<>();
        long offset = 48;
        for (ChunkId id : ids) {
            int raw = 1 + random.nextInt(100_000);
            boolean compressed = random.nextBoolean();
            int stored = compressed ? 28 + 1 + random.nextInt(raw) : raw + 28;
            out.add(new PackEntry(id, offset, stored, raw, compressed ? CompressionCode.ZSTD : CompressionCode.NONE));
            offset += stored;
        }
        return out;
    }

    private static long sizeOf(List<PackEntry> entries) {
        return (entries.isEmpty() ? 48 : entries.get(entries.size() - 1).end()) + 200;
    }

    /** The packs added, in order, with their entries: the model the index must match. */
    private final Map<PackId, List<PackEntry>> model = new LinkedHashMap<>();
    private final Map<PackId, PackType> types = new LinkedHashMap<>();

    private PackId addPack(PackType type, List<ChunkId> ids) {
        PackId id = PackId.random();
        List<PackEntry> e = entries(ids);
        index.addPack(id, type, sizeOf(e), e);
        model.put(id, e);
        types.put(id, type);
        return id;
    }

    private void removePacks(Set<PackId> ids) {
        index.removePacks(ids);
        ids.forEach(model::remove);
    }

    private Set<ChunkLocation> expectedLocations() {
        Set<ChunkLocation> out = new HashSet<>();
        model.forEach((pack, entries) -> entries.forEach(e -> out.add(new ChunkLocation(pack, types.get(pack), e))));
        return out;
    }

    /** The index holds exactly the model's entries, and lookup answers with the oldest pack. */
    private void assertIndexMatchesModel(Set<ChunkId> everyIdEverAdded) {
        List<ChunkLocation> all = index.allLocations();
        Set<ChunkLocation> expected = expectedLocations();
        assertEquals(expected.size(), all.size(), "number of chunk entries");
        assertEquals(expected, new HashSet<>(all));
        assertEquals(model.keySet(), index.packs().keySet());
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet(), "the digest of the pack records");
        for (ChunkId id : everyIdEverAdded) {
            Optional<ChunkLocation> first = Optional.empty();
            for (Map.Entry<PackId, List<PackEntry>> p : model.entrySet()) {
                Optional<PackEntry> e = p.getValue().stream().filter(x -> x.id().equals(id)).findFirst();
                if (e.isPresent()) {
                    first = Optional.of(new ChunkLocation(p.getKey(), types.get(p.getKey()), e.get()));
                    break;
                }
            }
            assertEquals(first, index.lookup(id), "lookup of " + id.shortString());
            assertEquals(first.isPresent(), index.contains(id));
        }
    }

    private static PackSetDigest digestOf(Map<PackId, PackRecord> records) {
        PackSetDigest d = new PackSetDigest();
        records.values().forEach(r -> d.add(r.id(), r.size()));
        return d;
    }

    @Test
    void thePackSetDigest_followsTheRecordsThroughEveryChange() {
        assertEquals(Optional.of(new PackSetDigest()), index.packSet(), "a new index: the empty set");
        List<PackId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(addPack(PackType.DATA, List.of(randomChunkId(-1), randomChunkId(-1))));
        }
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet());
        index.addIndexFile(new byte[32], List.of(new dev.strata.core.pack.PackTable(PackId.random(), PackType.TREE, 999,
                entries(List.of(randomChunkId(-1))))));
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet(), "after an index file");
        index.replaceSalvaged(ids.get(0), PackType.DATA, 123, List.of(), List.of());
        index.replaceSalvaged(PackId.random(), PackType.DATA, 456, List.of(), List.of());
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet(), "after salvage, with a new size");
        index.removePacks(Set.of(ids.get(1)));
        index.losePacks(Set.of(ids.get(2), PackId.random()));
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet(), "after packs went");
        assertEquals(index.packs().size(), index.packSet().orElseThrow().count());
        index.clear();
        assertEquals(Optional.of(new PackSetDigest()), index.packSet(), "cleared");
    }

    @Test
    void aPackSetDigestMissingOrOutOfStep_isNotTrusted_andResetFromTheRecords() {
        addPack(PackType.DATA, List.of(randomChunkId(-1)));
        addPack(PackType.TREE, List.of(randomChunkId(-1)));
        LmdbTable meta = index.environment().openTable("meta");
        meta.delete("packSet".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), index.packSet(), "an index from before the digest");
        index.resetPackSet();
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet());

        // A version that does not keep the digest adds a pack: its count no longer matches the records.
        index.environment().openTable("packs").put(PackId.random().bytes(),
                IndexCodec.packValue(99, PackType.DATA, 1000, 0, false));
        assertEquals(Optional.empty(), index.packSet());
        index.resetPackSet();
        assertEquals(Optional.of(digestOf(index.packs())), index.packSet());
    }

    @Test
    void addPack_thenLookupAndContains() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        PackId pack = addPack(PackType.DATA, List.of(a, b));

        assertTrue(index.contains(a));
        assertTrue(index.containsPack(pack));
        assertEquals(Optional.of(new ChunkLocation(pack, PackType.DATA, model.get(pack).get(1))), index.lookup(b));
        assertFalse(index.contains(randomChunkId()));
        assertEquals(Optional.empty(), index.lookup(randomChunkId()));
        assertFalse(index.containsPack(PackId.random()));
        PackRecord record = index.packs().get(pack);
        assertEquals(PackType.DATA, record.type());
        assertEquals(2, record.entryCount());
        assertEquals(sizeOf(model.get(pack)), record.size());
    }

    @Test
    void addPack_ofAKnownPack_changesNothing() {
        ChunkId a = randomChunkId();
        PackId pack = addPack(PackType.TREE, List.of(a));
        PackRecord before = index.packs().get(pack);

        index.addPack(pack, PackType.TREE, 999_999, entries(List.of(a, randomChunkId())));

        assertEquals(before, index.packs().get(pack));
        assertIndexMatchesModel(Set.of(a));
    }

    @Test
    void chunkInTwoPacks_isFoundUntilBothAreRemoved() {
        ChunkId shared = randomChunkId();
        ChunkId onlyFirst = randomChunkId();
        PackId first = addPack(PackType.DATA, List.of(onlyFirst, shared));
        PackId second = addPack(PackType.DATA, List.of(shared));
        assertEquals(first, index.lookup(shared).orElseThrow().pack(), "readers use the first");
        assertEquals(3, index.allLocations().size());

        removePacks(Set.of(first));
        assertEquals(second, index.lookup(shared).orElseThrow().pack());
        assertFalse(index.contains(onlyFirst));
        assertIndexMatchesModel(Set.of(shared, onlyFirst));

        removePacks(Set.of(second));
        assertFalse(index.contains(shared));
        assertIndexMatchesModel(Set.of(shared, onlyFirst));
    }

    @Test
    void chunkInTwoPacks_survivesRemovingTheSecond() {
        ChunkId shared = randomChunkId();
        PackId first = addPack(PackType.DATA, List.of(shared));
        PackId second = addPack(PackType.DATA, List.of(shared, randomChunkId()));
        removePacks(Set.of(second));
        assertEquals(first, index.lookup(shared).orElseThrow().pack());
        assertIndexMatchesModel(Set.of(shared));
    }

    @Test
    void removePacks_ofUnknownPacks_changesNothing() {
        ChunkId a = randomChunkId();
        addPack(PackType.DATA, List.of(a));
        index.removePacks(Set.of(PackId.random()));
        index.removePacks(Set.of());
        assertIndexMatchesModel(Set.of(a));
    }

    /** Deletes runs of neighbouring entries, the very first and the very last entry of the table. */
    @Test
    void removePacks_deletesConsecutiveEntries_andTheFirstAndLastOfTheTable() {
        List<ChunkId> low = new ArrayList<>();
        List<ChunkId> middle = new ArrayList<>();
        List<ChunkId> high = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            low.add(randomChunkId(0x00));
            middle.add(randomChunkId(0x80));
            high.add(randomChunkId(0xff));
        }
        PackId lowPack = addPack(PackType.DATA, low);
        PackId middlePack = addPack(PackType.DATA, middle);
        PackId highPack = addPack(PackType.DATA, high);
        Set<ChunkId> all = new HashSet<>(low);
        all.addAll(middle);
        all.addAll(high);

        removePacks(Set.of(highPack));
        assertIndexMatchesModel(all);
        removePacks(Set.of(lowPack));
        assertIndexMatchesModel(all);
        removePacks(Set.of(middlePack));
        assertIndexMatchesModel(all);
        assertEquals(List.of(), index.allLocations());
    }

    /** Random packs sharing chunks; packs removed and added in rounds; the index always equals the model. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void removePacks_removesExactlyThosePacksEntries(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ChunkId> pool = new ArrayList<>();
        Set<ChunkId> everAdded = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            int packs = 4 + r.nextInt(6);
            for (int p = 0; p < packs; p++) {
                List<ChunkId> ids = new ArrayList<>();
                Set<ChunkId> inThisPack = new HashSet<>();
                int n = 1 + r.nextInt(300);
                for (int i = 0; i < n; i++) {
                    // A third of the entries repeat chunks of other packs (dedup misses after a crash).
                    ChunkId id = !pool.isEmpty() && r.nextInt(3) == 0 ? pool.get(r.nextInt(pool.size())) : randomChunkId();
                    if (inThisPack.add(id)) {
                        ids.add(id);
                    }
                }
                pool.addAll(ids);
                everAdded.addAll(ids);
                addPack(r.nextInt(4) == 0 ? PackType.TREE : PackType.DATA, ids);
            }
            Set<PackId> toRemove = new HashSet<>();
            for (PackId id : model.keySet()) {
                if (r.nextInt(5) < 2) {
                    toRemove.add(id);
                }
            }
            removePacks(toRemove);
            assertIndexMatchesModel(everAdded);
        }
        removePacks(new HashSet<>(model.keySet()));
        assertIndexMatchesModel(everAdded);
        assertEquals(0, index.stats().chunks());
    }

    @Test
    void reopen_withTheSameRepository_keepsTheIndex_andWithAnotherClearsIt() throws IOException {
        ChunkId a = randomChunkId();
        PackId pack = addPack(PackType.DATA, List.of(a));
        index.close();

        index = LmdbIndex.open(dir.resolve("index"), REPO);
        assertTrue(index.contains(a));
        assertTrue(index.containsPack(pack));
        index.close();

        index = LmdbIndex.open(dir.resolve("index"), OTHER_REPO);
        assertFalse(index.contains(a));
        assertEquals(Map.of(), index.packs());
        assertEquals(List.of(), index.allLocations());
        index.close();

        index = LmdbIndex.open(dir.resolve("index"), REPO);
        assertFalse(index.contains(a), "the other repository's claim cleared it for good");
    }

    @Test
    void clear_forgetsEverything_butKeepsTheRepository() throws IOException {
        ChunkId a = randomChunkId();
        addPack(PackType.DATA, List.of(a));
        index.clear();
        assertFalse(index.contains(a));
        assertEquals(Map.of(), index.packs());
        PackId again = addPack(PackType.DATA, List.of(a));
        assertEquals(again, index.lookup(a).orElseThrow().pack());
        index.close();
        index = LmdbIndex.open(dir.resolve("index"), REPO);
        assertTrue(index.contains(a), "clear kept the repository id, so reopening keeps the index");
    }

    @Test
    void stats_countDistinctChunksAndPacks() {
        ChunkId shared = randomChunkId();
        ChunkId tree = randomChunkId();
        PackId d1 = addPack(PackType.DATA, List.of(shared, randomChunkId(), randomChunkId()));
        PackId d2 = addPack(PackType.DATA, List.of(shared));
        PackId t1 = addPack(PackType.TREE, List.of(tree));

        IndexStats stats = index.stats();

        Map<ChunkId, PackEntry> distinct = new LinkedHashMap<>();
        for (PackId p : List.of(d1, d2, t1)) {
            for (PackEntry e : model.get(p)) {
                distinct.putIfAbsent(e.id(), e);
            }
        }
        assertEquals(4, stats.chunks());
        assertEquals(1, stats.treeChunks());
        assertEquals(distinct.values().stream().mapToLong(PackEntry::rawLength).sum(), stats.rawBytes());
        assertEquals(distinct.values().stream().mapToLong(PackEntry::storedLength).sum(), stats.storedBytes());
        assertEquals(2, stats.dataPacks());
        assertEquals(1, stats.treePacks());
        assertEquals(sizeOf(model.get(d1)) + sizeOf(model.get(d2)) + sizeOf(model.get(t1)), stats.packBytes());
    }

    @Test
    void packNumbers_areNotReused_soARemovedPacksEntriesNeverResurface() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        PackId first = addPack(PackType.DATA, List.of(a));
        PackId second = addPack(PackType.DATA, List.of(b));
        int secondNumber = index.packs().get(second).number();
        removePacks(Set.of(second));
        PackId third = addPack(PackType.DATA, List.of(randomChunkId()));

        assertTrue(index.packs().get(third).number() > secondNumber);
        assertFalse(index.contains(b));
        assertIndexMatchesModel(Set.of(a, b));
        assertEquals(first, index.lookup(a).orElseThrow().pack());
    }

    @Test
    void markDamaged_hidesThatCopy_lookupFallsBackToAnother_andTheLossIsRecorded() {
        ChunkId shared = randomChunkId();
        ChunkId alone = randomChunkId();
        PackId first = addPack(PackType.DATA, List.of(shared, alone));
        PackId second = addPack(PackType.DATA, List.of(shared));
        ChunkLocation firstCopy = index.lookup(shared).orElseThrow();
        assertEquals(first, firstCopy.pack());

        index.markDamaged(firstCopy);
        index.markDamaged(index.lookup(alone).orElseThrow());

        assertEquals(second, index.lookup(shared).orElseThrow().pack());
        assertFalse(index.contains(alone));
        assertEquals(List.of(new LostChunk(firstCopy, LostChunk.Reason.DAMAGED)), index.lost(shared));
        assertEquals(1, index.lost(alone).size());
        assertEquals(2, index.allLost().size());
        assertEquals(List.of(), index.lost(randomChunkId()));
        assertEquals(List.of(), index.entries(first).stream().filter(e -> e.id().equals(alone)).toList());
    }

    @Test
    void aDamagedCopy_staysOutWhenTheIndexIsRebuilt_untilItIsRecovered() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        PackId pack = addPack(PackType.DATA, List.of(a, b));
        ChunkLocation damaged = index.lookup(b).orElseThrow();
        index.markDamaged(damaged);

        index.clear();
        index.addPack(pack, PackType.DATA, sizeOf(model.get(pack)), model.get(pack));

        assertTrue(index.contains(a));
        assertFalse(index.contains(b), "a rebuild must not take a damaged copy for a good one");
        assertEquals(1, index.allLost().size());

        index.recover(index.lost(b));
        assertEquals(damaged, index.lookup(b).orElseThrow());
        assertEquals(List.of(), index.allLost());
    }

    @Test
    void losePacks_keepsTheirEntriesAsMissing_andThePackComingBackClearsThem() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        PackId pack = addPack(PackType.TREE, List.of(a, b));
        ChunkLocation before = index.lookup(a).orElseThrow();

        index.losePacks(Set.of(pack));

        assertFalse(index.containsPack(pack));
        assertFalse(index.contains(a));
        assertEquals(List.of(new LostChunk(before, LostChunk.Reason.MISSING)), index.lost(a));
        assertEquals(2, index.allLost().size());

        index.addPack(pack, PackType.TREE, sizeOf(model.get(pack)), model.get(pack));
        assertTrue(index.contains(a));
        assertEquals(List.of(), index.allLost());
    }

    @Test
    void removePacks_forgetsTheirLostCopiesToo_andForgetLostDropsChosenOnes() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        PackId pruned = addPack(PackType.DATA, List.of(a));
        PackId vanished = addPack(PackType.DATA, List.of(b));
        index.markDamaged(index.lookup(a).orElseThrow());
        index.losePacks(Set.of(vanished));
        assertEquals(2, index.allLost().size());

        removePacks(Set.of(pruned));
        assertEquals(List.of(b), index.allLost().stream().map(l -> l.location().entry().id()).toList());

        index.forgetLost(index.lost(b));
        assertEquals(List.of(), index.allLost());
    }

    @Test
    void replaceSalvaged_keepsTheReadableEntries_andRecordsTheOthersAsDamaged() {
        ChunkId a = randomChunkId();
        ChunkId b = randomChunkId();
        ChunkId c = randomChunkId();
        PackId pack = addPack(PackType.DATA, List.of(a, b, c));
        List<PackEntry> e = model.get(pack);
        int number = index.packs().get(pack).number();

        index.replaceSalvaged(pack, PackType.DATA, 1234, List.of(e.get(0), e.get(2)), List.of(e.get(1)));

        PackRecord r = index.packs().get(pack);
        assertTrue(r.salvaged());
        assertEquals(number, r.number());
        assertEquals(1234, r.size());
        assertEquals(3, r.entryCount());
        assertEquals(List.of(e.get(0), e.get(2)), index.entries(pack));
        assertFalse(index.contains(b));
        assertEquals(LostChunk.Reason.DAMAGED, index.lost(b).get(0).reason());

        PackId unknown = PackId.random();
        List<PackEntry> fresh = entries(List.of(randomChunkId()));
        index.replaceSalvaged(unknown, PackType.TREE, 99, fresh, List.of());
        assertEquals(fresh, index.entries(unknown));
        assertTrue(index.packs().get(unknown).salvaged());
    }

    @Test
    void aPackValueWrittenBeforeTheFlagsByte_readsAsNotSalvaged() {
        PackId id = PackId.random();
        byte[] old = java.nio.ByteBuffer.allocate(17).putInt(7).put((byte) PackType.DATA.code()).putLong(500).putInt(3).array();
        assertEquals(new PackRecord(id, 7, PackType.DATA, 500, 3, false), IndexCodec.packRecord(id, old));
        assertFalse(index.packs().values().stream().anyMatch(PackRecord::salvaged));
    }
}
