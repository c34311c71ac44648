package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.PackId;
import dev.strata.core.index.PackRecord;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged packs of a real repository: whatever still authenticates is recovered, exactly, with the
 * loss stated. Packs mix raw entries (incompressible files, small and cut by the chunker) and zstd
 * entries (text), as backups make them.
 */
class PackSalvagerTest {
    @TempDir
    Path dir;
    private Repository repo;
    private ChunkStore store;
    private PackSalvager salvager;

    @BeforeEach
    void fill() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        store = repo.store();
        salvager = store.salvager();
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 40; i++) {
            int kind = r.nextInt(4);
            if (kind == 0) {
                store.putDataChunk(RandomData.bytes(r.nextLong(), 1 + r.nextInt(20_000)));
            } else if (kind == 1) {
                store.putStream(RandomData.channel(RandomData.bytes(r.nextLong(), 100_000 + r.nextInt(200_000))));
            } else if (kind == 2) {
                store.putDataChunk(RandomData.text(r.nextLong(), 1 + r.nextInt(30_000)));
            } else {
                store.put(treeLike(RandomData.text(r.nextLong(), 50 + r.nextInt(5_000))), PackType.TREE);
            }
        }
        store.flush();
    }

    /** Tree objects start with their magic; a salvage that lost the header tells tree packs by it. */
    private static byte[] treeLike(byte[] body) {
        byte[] out = Arrays.copyOf("STRT".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 4 + body.length);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    /** The data pack with the most entries, holding both raw and compressed ones. */
    private PackTable mixedDataPack() throws IOException {
        PackTable best = null;
        for (PackRecord p : repo.index().packs().values()) {
            PackTable t = store.packReader().readTable(p.id());
            boolean mixed = t.entries().stream().anyMatch(e -> e.compression() == CompressionCode.NONE)
                    && t.entries().stream().anyMatch(e -> e.compression() == CompressionCode.ZSTD);
            if (t.type() == PackType.DATA && mixed && (best == null || t.entries().size() > best.entries().size())) {
                best = t;
            }
        }
        assertTrue(best != null && best.entries().size() >= 4, "a mixed data pack");
        return best;
    }

    private PackTable treePack() throws IOException {
        return repo.index().packs().values().stream().filter(p -> p.type() == PackType.TREE)
                .map(p -> {
                    try {
                        return store.packReader().readTable(p.id());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .max(Comparator.comparingInt(t -> t.entries().size())).orElseThrow();
    }

    private byte[] bytesOf(PackId id) throws IOException {
        return repo.backend().get(PackReader.blobName(id));
    }

    private static byte[] flipped(byte[] pack, long at) {
        byte[] copy = pack.clone();
        copy[(int) at] ^= 0x40;
        return copy;
    }

    private static long tableOffset(PackTable t) {
        return t.entries().get(t.entries().size() - 1).end();
    }

    @Test
    void aDamagedHeader_isRebuiltFromThePackId_andLosesNothing() throws IOException {
        PackTable t = mixedDataPack();
        PackSalvage s = salvager.salvage(t.id(), flipped(bytesOf(t.id()), 20), List.of());
        assertEquals(t.entries(), s.entries());
        assertEquals(PackType.DATA, s.type());
        assertEquals(0, s.lostBytes());
        assertTrue(s.finding().contains("header damaged"), s.finding());
    }

    @Test
    void aDamagedTrailerMagic_stillLeadsToTheTable() throws IOException {
        PackTable t = mixedDataPack();
        byte[] pack = bytesOf(t.id());
        PackSalvage s = salvager.salvage(t.id(), flipped(pack, pack.length - 3), List.of());
        assertEquals(t.entries(), s.entries());
        assertEquals("trailer damaged, table intact", s.finding());
    }

    @Test
    void aDamagedTrailer_findsTheTableByItsLength() throws IOException {
        PackTable t = mixedDataPack();
        byte[] pack = bytesOf(t.id());
        PackSalvage s = salvager.salvage(t.id(), flipped(pack, pack.length - 15), List.of());
        assertEquals(t.entries(), s.entries());
        assertEquals(0, s.lostBytes());
        assertTrue(s.finding().contains("trailer damaged"), s.finding());
    }

    @Test
    void aDamagedTable_isReplacedByWalkingEveryEntry() throws IOException {
        PackTable t = mixedDataPack();
        byte[] pack = bytesOf(t.id());
        long started = System.nanoTime();
        PackSalvage s = salvager.salvage(t.id(), flipped(pack, tableOffset(t) + 20), List.of());
        System.out.printf("salvaged %d entries of a %,d-byte pack by scanning in %d ms%n", s.entries().size(),
                pack.length, (System.nanoTime() - started) / 1_000_000);
        assertEquals(t.entries(), s.entries());
        assertEquals(0, s.lostBytes());
        assertTrue(s.damaged().isEmpty());
        assertTrue(s.finding().contains("table fails authentication"), s.finding());
    }

    @Test
    void aPackCutShort_keepsEveryEntryBeforeTheCut() throws IOException {
        PackTable t = mixedDataPack();
        byte[] pack = bytesOf(t.id());
        int k = t.entries().size() / 2;
        PackEntry cutIn = t.entries().get(k);
        long cutAt = cutIn.offset() + cutIn.storedLength() / 2;
        PackSalvage s = salvager.salvage(t.id(), Arrays.copyOf(pack, (int) cutAt), List.of());
        assertEquals(t.entries().subList(0, k), s.entries());
        assertEquals(cutAt - cutIn.offset(), s.lostBytes());
    }

    @Test
    void aDamagedEntryAndTable_withoutHints_losesThatEntry_andRecoversWhatCanBeProven() throws IOException {
        PackTable t = mixedDataPack();
        int k = t.entries().size() / 2;
        PackEntry victim = t.entries().get(k);
        byte[] pack = flipped(flipped(bytesOf(t.id()), victim.offset() + victim.storedLength() / 2), tableOffset(t) + 20);

        PackSalvage s = salvager.salvage(t.id(), pack, List.of());

        assertEquals(t.entries().subList(0, k), s.entries().subList(0, k));
        assertTrue(t.entries().containsAll(s.entries()), "only genuine entries");
        assertTrue(!s.entries().contains(victim));
        assertTrue(s.lostBytes() >= victim.storedLength(), "lost " + s.lostBytes());
        // After the damage, the walk resumes at the next compressed entry.
        int nextCompressed = -1;
        for (int i = k + 1; i < t.entries().size() && nextCompressed < 0; i++) {
            if (t.entries().get(i).compression() == CompressionCode.ZSTD) {
                nextCompressed = i;
            }
        }
        if (nextCompressed > 0) {
            assertEquals(t.entries().subList(nextCompressed, t.entries().size()),
                    s.entries().subList(s.entries().size() - (t.entries().size() - nextCompressed), s.entries().size()));
        }
    }

    @Test
    void aDamagedEntryAndTable_withTheIndexEntries_losesOnlyThatEntry() throws IOException {
        PackTable t = mixedDataPack();
        int k = t.entries().size() / 3;
        PackEntry victim = t.entries().get(k);
        byte[] pack = flipped(flipped(bytesOf(t.id()), victim.offset() + 30), tableOffset(t) + 5);

        PackSalvage s = salvager.salvage(t.id(), pack, t.entries());

        List<PackEntry> expected = new java.util.ArrayList<>(t.entries());
        expected.remove(victim);
        assertEquals(expected, s.entries());
        assertEquals(List.of(victim), s.damaged());
        assertEquals(victim.storedLength(), s.lostBytes());
    }

    @Test
    void aTreePack_withHeaderAndTableDamaged_isRecognisedAndRecovered() throws IOException {
        PackTable t = treePack();
        byte[] pack = flipped(flipped(bytesOf(t.id()), 9), tableOffset(t) + 3);
        PackSalvage s = salvager.salvage(t.id(), pack, List.of());
        assertEquals(t.entries(), s.entries());
        assertEquals(PackType.TREE, s.type());
        assertTrue(s.describe().contains(t.id().toString()), s.describe());
    }

    @Test
    void anIntactTableFoundThisWay_stillNamesDamagedEntries() throws IOException {
        PackTable t = mixedDataPack();
        PackEntry victim = t.entries().get(1);
        byte[] pack = flipped(flipped(bytesOf(t.id()), 3), victim.offset() + 40);
        PackSalvage s = salvager.salvage(t.id(), pack, List.of());
        assertEquals(List.of(victim), s.damaged());
        assertEquals(t.entries().size() - 1, s.entries().size());
        assertEquals(victim.storedLength(), s.lostBytes());
    }
}
