package dev.strata.core.pack;

import com.github.luben.zstd.Zstd;
import dev.strata.core.compress.CompressionCode;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackFixture.Written;
import dev.strata.core.testing.FullFilesystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackWriterTest {
    @TempDir
    static Path tmp;

    /** Shared by all tests: every pack has its own random id and staging file. */
    private static PackFixture fx;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new PackFixture(tmp, 2);
    }

    /** Reads a pack as docs/format.md §5 describes it, without PackReader or PackFormat. */
    @Test
    void finish_writesTheDocumentedLayout() throws Exception {
        List<byte[]> chunks = PackFixture.chunks(1, 10, 30_000);
        Written w = fx.write(PackType.TREE, chunks);
        byte[] pack = fx.bytesOf(w.id());
        ByteBuffer b = ByteBuffer.wrap(pack).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals("STRATAPK", new String(pack, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, pack[8], "format version");
        assertEquals(0x02, pack[9], "pack type: tree");
        assertArrayEquals(new byte[6], Arrays.copyOfRange(pack, 10, 16), "reserved header bytes");
        assertArrayEquals(w.id().bytes(), Arrays.copyOfRange(pack, 16, 48), "pack id in the header");

        int end = pack.length;
        assertEquals("STRATAPT", new String(pack, end - 8, 8, StandardCharsets.US_ASCII));
        assertEquals(0, b.getInt(end - 12), "reserved trailer bytes");
        int tableLength = b.getInt(end - 16);
        int tableOffset = end - 16 - tableLength;

        Aes256GcmCipher data = fx.key.dataCipher();
        byte[] table = data.open(pack, tableOffset, tableLength, Arrays.copyOf(pack, 48));
        ByteBuffer t = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(chunks.size(), t.getInt());
        assertEquals(4 + 52 * chunks.size(), table.length);
        long expectedOffset = 48;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] id = new byte[32];
            t.get(id);
            long offset = t.getLong();
            int stored = t.getInt();
            int raw = t.getInt();
            int code = t.get();
            assertArrayEquals(new byte[3], new byte[] {t.get(), t.get(), t.get()}, "reserved table bytes of " + i);
            assertEquals(expectedOffset, offset, "entries are back to back from byte 48");
            assertEquals(chunks.get(i).length, raw);
            assertArrayEquals(fx.key.chunkIdHasher().hash(chunks.get(i)).bytes(), id);

            byte[] aad = ByteBuffer.allocate(37).order(ByteOrder.LITTLE_ENDIAN).put(id).put((byte) code).putInt(raw).array();
            byte[] payload = data.open(pack, (int) offset, stored, aad);
            assertEquals(stored, payload.length + 28, "stored length is the envelope length");
            byte[] plain = switch (code) {
                case 0x00 -> payload;
                case 0x01 -> Zstd.decompress(payload, raw);
                default -> throw new AssertionError("compression code " + code);
            };
            assertArrayEquals(chunks.get(i), plain, "chunk " + i);
            expectedOffset = offset + stored;
        }
        assertEquals(tableOffset, expectedOffset, "entries end where the table starts");
        assertEquals(pack.length, w.pack().size());
    }

    @Test
    void finish_dataPackHasTypeOne() throws IOException {
        Written w = fx.write(PackType.DATA, PackFixture.chunks(2, 1, 100));
        assertEquals(0x01, fx.bytesOf(w.id())[9]);
    }

    @Test
    void add_appendsBackToBack_andCountsSizeAndEntries() throws IOException {
        List<byte[]> chunks = PackFixture.chunks(3, 6, 5000);
        try (PackWriter w = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher())) {
            assertEquals(48, w.size());
            assertEquals(0, w.entryCount());
            long expected = 48;
            for (int i = 0; i < chunks.size(); i++) {
                byte[] c = chunks.get(i);
                SealedEntry e = fx.entryCipher.seal(fx.key.chunkIdHasher().hash(c), c, 0, c.length);
                PackEntry placed = w.add(e);
                assertEquals(expected, placed.offset());
                assertEquals(e.storedLength(), placed.storedLength());
                assertEquals(e.id(), placed.id());
                assertEquals(e.compression(), placed.compression());
                assertEquals(c.length, placed.rawLength());
                expected += e.storedLength();
                assertEquals(expected, w.size());
                assertEquals(i + 1, w.entryCount());
            }
            FinishedPack f = w.finish();
            assertEquals(Files.size(f.file()), f.size());
            assertEquals(6, f.entries().size());
            assertEquals(w.id(), f.id());
            assertEquals(PackType.DATA, f.type());
        }
    }

    /**
     * On a full disk the header cannot be written: the constructor fails with the disk's error and
     * leaves neither a staging file nor an open descriptor behind.
     */
    @Test
    void constructor_headerWriteFails_closesTheChannelAndDeletesTheFile() throws Exception {
        try (FullFilesystem full = FullFilesystem.mountFull(tmp.resolve("full"))) {
            Path staging = full.root();
            long before = openDescriptorsUnder(staging);
            IOException e = assertThrows(IOException.class,
                    () -> new PackWriter(PackType.DATA, staging, fx.key.dataCipher()));
            assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
            assertEquals(before, openDescriptorsUnder(staging), "descriptors left open into " + staging);
            try (Stream<Path> files = Files.list(staging)) {
                assertEquals(List.of(staging.resolve("filler")), files.collect(Collectors.toList()));
            }
        }
    }

    /**
     * A disk that fills while a pack is open: the write of the buffered entries fails after part of it
     * reached the file (the rest of the page the header is in). The failed add changes nothing, and
     * once there is room again the entries added before and after it land where the table says.
     */
    @Test
    void add_failingAfterAShortWrite_leavesThePackAsItWas_andItCarriesOnOnceThereIsRoom() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(tmp.resolve("fills-up"), "8m")) {
            try (PackWriter w = new PackWriter(PackType.DATA, disk.root(), fx.key.dataCipher())) {
                byte[] before = random(11, 100_000);
                PackEntry first = w.add(seal(before));
                disk.fill();
                IOException full = assertThrows(IOException.class, () -> w.add(seal(random(12, 2 << 20))));
                assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
                assertEquals(1, w.entryCount());
                assertEquals(48 + first.storedLength(), w.size());

                disk.free();
                byte[] after = random(13, 2 << 20);
                PackEntry second = w.add(seal(after));
                assertEquals(48 + first.storedLength(), second.offset());
                FinishedPack f = w.finish();
                assertReadsBack(f, List.of(first, second), List.of(before, after));
            }
        }
    }

    /**
     * An entry too big for the buffer goes straight to the file; when that write fails half way,
     * the next entry takes its place and the file ends where the pack does, not where the failed
     * write stopped.
     */
    @Test
    void add_ofABigEntryFailingHalfWay_isOverwritten_andTheFileEndsWithThePack() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(tmp.resolve("fills-up-2"), "8m")) {
            try (PackWriter w = new PackWriter(PackType.DATA, disk.root(), fx.key.dataCipher())) {
                disk.fill();
                assertThrows(IOException.class, () -> w.add(seal(random(21, 2 << 20))));
                assertEquals(0, w.entryCount());
                assertEquals(48, w.size());

                disk.free();
                byte[] small = random(22, 100);
                PackEntry only = w.add(seal(small));
                assertEquals(48, only.offset());
                FinishedPack f = w.finish();
                assertReadsBack(f, List.of(only), List.of(small));
            }
        }
    }

    private static SealedEntry seal(byte[] chunk) throws IOException {
        return fx.entryCipher.seal(fx.key.chunkIdHasher().hash(chunk), chunk, 0, chunk.length);
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Stores the finished pack and reads its table and every entry back. */
    private static void assertReadsBack(FinishedPack f, List<PackEntry> entries, List<byte[]> chunks) throws IOException {
        assertEquals(Files.size(f.file()), f.size(), "the staging file is as long as the pack");
        fx.backend.putFile(PackReader.blobName(f.id()), f.file());
        PackTable table = fx.reader.readTable(f.id());
        assertEquals(entries, table.entries());
        for (int i = 0; i < entries.size(); i++) {
            assertArrayEquals(chunks.get(i), fx.reader.readChunk(f.id(), entries.get(i)), "entry " + i);
        }
    }

    /** How many of this process's file descriptors point into {@code dir}. */
    private static long openDescriptorsUnder(Path dir) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void close_beforeFinish_deletesTheStagingFile_andIsIdempotent() throws IOException {
        PackWriter w = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher());
        byte[] c = new byte[100];
        w.add(fx.entryCipher.seal(fx.key.chunkIdHasher().hash(c), c, 0, c.length));
        Path file = fx.staging().resolve("pack-" + w.id() + ".tmp");
        assertTrue(Files.exists(file));
        w.close();
        assertFalse(Files.exists(file));
        w.close();
        assertThrows(IllegalStateException.class, () -> w.add(fx.entryCipher.seal(
                fx.key.chunkIdHasher().hash(c), c, 0, c.length)));
        assertThrows(IllegalStateException.class, w::finish);
    }

    @Test
    void close_afterFinish_keepsTheFile_andTheWriterRefusesMore() throws IOException {
        PackWriter w = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher());
        FinishedPack f = w.finish();
        w.close();
        w.close();
        assertTrue(Files.exists(f.file()));
        assertEquals(Files.size(f.file()), f.size());
        assertThrows(IllegalStateException.class, w::finish);
        byte[] c = new byte[1];
        assertThrows(IllegalStateException.class, () -> w.add(fx.entryCipher.seal(
                fx.key.chunkIdHasher().hash(c), c, 0, c.length)));
        Files.delete(f.file());
    }

    @Test
    void newWriters_getFreshPackIds() throws IOException {
        try (PackWriter a = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher());
             PackWriter b = new PackWriter(PackType.DATA, fx.staging(), fx.key.dataCipher())) {
            assertNotEquals(a.id(), b.id());
        }
    }

    @Test
    void finishedPack_entriesAreACopy() throws IOException {
        Written w = fx.write(PackFixture.chunks(4, 2, 100));
        assertThrows(UnsupportedOperationException.class, () -> w.pack().entries().clear());
    }

    @Test
    void packEntry_rejectsImpossibleValues() {
        ChunkId id = ChunkId.of(new byte[32]);
        assertThrows(IllegalArgumentException.class, () -> new PackEntry(id, 47, 28, 0, CompressionCode.NONE));
        assertThrows(IllegalArgumentException.class, () -> new PackEntry(id, 48, 27, 0, CompressionCode.ZSTD));
        assertThrows(IllegalArgumentException.class, () -> new PackEntry(id, 48, 40, -1, CompressionCode.ZSTD));
        assertThrows(IllegalArgumentException.class, () -> new PackEntry(id, 48, 40, 11, CompressionCode.NONE));
        assertEquals(88, new PackEntry(id, 48, 40, 12, CompressionCode.NONE).end());
    }
}
