package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackFixture.Written;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackReaderTest {
    @TempDir
    static Path tmp;

    /**
     * One repository folder per engine run: creating a LocalBackend (256 pack folders) costs more than
     * most tests here, and tests never share a pack, since every pack gets a fresh random id. JUnit sets
     * it up for the tests, jqwik for the properties; the two engines never run at the same time.
     */
    private static PackFixture fx;
    private static Path propertyDir;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new PackFixture(tmp, 1);
    }

    @BeforeContainer
    static void setUpProperties() throws IOException {
        propertyDir = Files.createTempDirectory("strata-pack-test");
        fx = new PackFixture(propertyDir, 1);
    }

    @AfterContainer
    static void tearDownProperties() throws IOException {
        PackFixture.deleteRecursively(propertyDir);
    }

    private static ChunkIdHasher hasher() {
        return fx.key.chunkIdHasher();
    }

    /** Asserts that {@code action} fails with CorruptDataException whose message carries the full pack id. */
    private static CorruptDataException assertCorruptNaming(PackId id, Executable action, String what) {
        CorruptDataException e = assertThrows(CorruptDataException.class, action, what);
        assertTrue(e.getMessage().contains(id.toString()), what + ": message does not name pack " + id + ": " + e.getMessage());
        return e;
    }

    // ---- Round trip ----

    @Test
    void readTable_equalsTheWrittenEntries() throws IOException {
        Written w = fx.write(PackFixture.chunks(2, 20, 40_000));
        PackTable table = fx.reader.readTable(w.id());
        assertEquals(w.id(), table.id());
        assertEquals(PackType.DATA, table.type());
        assertEquals(w.pack().size(), table.size());
        assertEquals(Files.size(fx.fileOf(w.id())), table.size());
        assertEquals(w.pack().entries(), table.entries());
        assertEquals(20, table.entries().size());
        for (int i = 0; i < 20; i++) {
            assertEquals(hasher().hash(w.chunks().get(i)), table.entries().get(i).id(), "id of entry " + i);
            assertEquals(w.chunks().get(i).length, table.entries().get(i).rawLength(), "raw length of entry " + i);
        }
        // The fixture's chunks give both encodings.
        assertTrue(table.entries().stream().anyMatch(e -> e.compression() == CompressionCode.ZSTD));
        assertTrue(table.entries().stream().anyMatch(e -> e.compression() == CompressionCode.NONE));
    }

    @Test
    void readTable_treePack_keepsItsType() throws IOException {
        Written w = fx.write(PackType.TREE, PackFixture.chunks(3, 3, 1000));
        assertEquals(PackType.TREE, fx.reader.readTable(w.id()).type());
        assertEquals(PackType.TREE, fx.reader.verify(w.id(), hasher()).type());
    }

    @Test
    void readChunk_returnsEachChunksExactBytes() throws IOException {
        Written w = fx.write(PackFixture.chunks(4, 25, 70_000));
        List<PackEntry> entries = fx.reader.readTable(w.id()).entries();
        for (int i = 0; i < entries.size(); i++) {
            assertArrayEquals(w.chunks().get(i), fx.reader.readChunk(w.id(), entries.get(i)), "chunk " + i);
        }
        // In any order.
        assertArrayEquals(w.chunks().get(3), fx.reader.readChunk(w.id(), entries.get(3)));
        assertArrayEquals(w.chunks().get(0), fx.reader.readChunk(w.id(), entries.get(0)));
    }

    @Test
    void verify_intactPack_passesAndReturnsTheTable() throws IOException {
        Written w = fx.write(PackFixture.chunks(5, 12, 30_000));
        PackTable table = fx.reader.verify(w.id(), hasher());
        assertEquals(w.pack().entries(), table.entries());
        assertEquals(w.pack().size(), table.size());
        assertEquals(table, fx.reader.verify(w.id(), null));
    }

    @Test
    void readTable_tableLargerThanTheTailRead_isReadSeparately() throws IOException {
        // 1500 entries make a 78 KB table, more than the 64 KiB tail read.
        List<byte[]> chunks = PackFixture.chunks(6, 1500, 20);
        Written w = fx.write(chunks);
        PackTable table = fx.reader.readTable(w.id());
        assertEquals(w.pack().entries(), table.entries());
        assertArrayEquals(chunks.get(1499), fx.reader.readChunk(w.id(), table.entries().get(1499)));
        fx.reader.verify(w.id(), hasher());
    }

    @Test
    void emptyPack_roundTrips() throws IOException {
        Written w = fx.write(List.of());
        assertEquals(List.of(), fx.reader.readTable(w.id()).entries());
        assertEquals(List.of(), fx.reader.verify(w.id(), hasher()).entries());
    }

    // ---- Damage ----

    /**
     * Any single byte of a pack, anywhere (header, entries, table, trailer), changed to any other value:
     * verification fails with CorruptDataException naming the pack.
     */
    @Property(tries = 150)
    void verify_anyChangedByte_throwsCorruptDataNamingThePack(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int chunkCount,
            @ForAll @IntRange(min = 1, max = 255) int xor) throws IOException {
        Written w = fx.write(PackFixture.chunks(seed, chunkCount, 20_000));
        byte[] pack = fx.bytesOf(w.id());
        int position = new SplittableRandom(seed).nextInt(pack.length);
        pack[position] ^= (byte) xor;
        fx.overwrite(w.id(), pack);
        assertCorruptNaming(w.id(), () -> fx.reader.verify(w.id(), hasher()),
                "byte " + position + " of " + pack.length + " xor " + xor);
    }

    @Test
    void verify_everyFlippedBitOfASmallPack_isDetected() throws IOException {
        List<byte[]> chunks = List.of(new byte[0], PackFixture.chunks(7, 1, 10).get(0).clone(),
                "text text text text text text text text text text text".getBytes(StandardCharsets.US_ASCII));
        Written w = fx.write(chunks);
        byte[] original = fx.bytesOf(w.id());
        long tableOffset = w.pack().entries().get(2).end();
        for (int position = 0; position < original.length; position++) {
            for (int bit : new int[] {0, 7}) {
                byte[] damaged = original.clone();
                damaged[position] ^= (byte) (1 << bit);
                fx.overwrite(w.id(), damaged);
                String what = "bit " + bit + " of byte " + position + " of " + original.length;
                assertCorruptNaming(w.id(), () -> fx.reader.verify(w.id(), hasher()), what);
                if (position < PackFormat.HEADER_LENGTH || position >= tableOffset) {
                    // Header, table and trailer are checked by reading the table alone.
                    assertCorruptNaming(w.id(), () -> fx.reader.readTable(w.id()), "readTable, " + what);
                }
            }
        }
    }

    @Test
    void readChunk_damagedEntry_throwsCorruptDataNamingThePack() throws IOException {
        Written w = fx.write(PackFixture.chunks(8, 4, 5000));
        List<PackEntry> entries = fx.reader.readTable(w.id()).entries();
        byte[] pack = fx.bytesOf(w.id());
        PackEntry second = entries.get(1);
        pack[(int) second.offset() + second.storedLength() / 2] ^= 0x40;
        fx.overwrite(w.id(), pack);
        assertCorruptNaming(w.id(), () -> fx.reader.readChunk(w.id(), second), "damaged entry");
        // Its neighbours still read.
        assertArrayEquals(w.chunks().get(0), fx.reader.readChunk(w.id(), entries.get(0)));
        assertArrayEquals(w.chunks().get(2), fx.reader.readChunk(w.id(), entries.get(2)));
    }

    @Test
    void truncatedPack_isDetected_namingThePack() throws IOException {
        Written w = fx.write(PackFixture.chunks(9, 3, 300));
        byte[] original = fx.bytesOf(w.id());
        for (int length = 0; length < original.length; length++) {
            fx.overwrite(w.id(), Arrays.copyOf(original, length));
            String what = "cut to " + length + " of " + original.length + " bytes";
            assertCorruptNaming(w.id(), () -> fx.reader.verify(w.id(), hasher()), "verify, " + what);
            assertCorruptNaming(w.id(), () -> fx.reader.readTable(w.id()), "readTable, " + what);
        }
    }

    @Test
    void readChunk_pastTheEndOfATruncatedPack_throwsCorruptDataNamingThePack() throws IOException {
        Written w = fx.write(PackFixture.chunks(10, 3, 3000));
        PackEntry last = w.pack().entries().get(2);
        fx.overwrite(w.id(), Arrays.copyOf(fx.bytesOf(w.id()), (int) last.offset() + 10));
        assertCorruptNaming(w.id(), () -> fx.reader.readChunk(w.id(), last), "entry beyond the end");
    }

    @Test
    void packStoredUnderAnotherPacksName_isDetected() throws IOException {
        Written w = fx.write(PackFixture.chunks(11, 3, 1000));
        PackId other = PackId.random();
        Path target = fx.fileOf(other);
        Files.createDirectories(target.getParent());
        Files.copy(fx.fileOf(w.id()), target);
        CorruptDataException e = assertCorruptNaming(other, () -> fx.reader.verify(other, hasher()), "verify");
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        assertCorruptNaming(other, () -> fx.reader.readTable(other), "readTable");
        // The original is untouched and still fine.
        fx.reader.verify(w.id(), hasher());
    }

    @Test
    void verify_chunkWhoseContentDoesNotMatchItsId_isDetectedOnlyWithAHasher() throws IOException {
        byte[] content = PackFixture.chunks(12, 1, 2000).get(0);
        ChunkId wrongId = hasher().hash(new byte[] {1, 2, 3});
        Written w;
        try (PackWriter writer = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher())) {
            writer.add(fx.entryCipher.seal(wrongId, content, 0, content.length));
            FinishedPack finished = writer.finish();
            fx.backend.putFile(PackReader.blobName(finished.id()), finished.file());
            w = new Written(finished, List.of(content));
        }
        assertEquals(1, fx.reader.verify(w.id(), null).entries().size());
        assertCorruptNaming(w.id(), () -> fx.reader.verify(w.id(), hasher()), "content of another chunk");
    }

    @Test
    void readerWithAnotherKey_cannotReadThePack() throws IOException {
        Written w = fx.write(PackFixture.chunks(13, 3, 1000));
        PackReader stranger = new PackReader(fx.backend,
                new EntryCipher(PackFixture.masterKey(99).dataCipher(), new ZstdCompressor(3)));
        assertCorruptNaming(w.id(), () -> stranger.readTable(w.id()), "readTable");
        assertCorruptNaming(w.id(), () -> stranger.verify(w.id(), null), "verify");
        assertCorruptNaming(w.id(), () -> stranger.readChunk(w.id(), w.pack().entries().get(0)), "readChunk");
    }

    @Test
    void readChunk_entryOfAnotherPack_failsAuthentication() throws IOException {
        Written a = fx.write(PackFixture.chunks(14, 3, 1000));
        Written b = fx.write(PackFixture.chunks(15, 3, 1000));
        List<ChunkId> idsInA = new ArrayList<>();
        a.pack().entries().forEach(e -> idsInA.add(e.id()));
        int tried = 0;
        for (PackEntry e : b.pack().entries()) {
            // The same chunk (say, an empty one) at the same offset would rightly open.
            if (e.end() <= a.pack().size() && !idsInA.contains(e.id())) {
                tried++;
                assertCorruptNaming(a.id(), () -> fx.reader.readChunk(a.id(), e), "entry of another pack");
            }
        }
        assertTrue(tried > 0, "no entry of the other pack fits this one");
    }

    @Test
    void missingPack_isReportedAsMissing_notAsCorrupt() {
        PackId absent = PackId.random();
        assertThrows(NoSuchFileException.class, () -> fx.reader.readTable(absent));
        assertThrows(NoSuchFileException.class, () -> fx.reader.verify(absent, null));
    }
}
