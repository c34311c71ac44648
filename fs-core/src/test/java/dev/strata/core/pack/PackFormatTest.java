package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackFormatTest {
    private final PackId pack = PackId.random();

    private void assertCorrupt(Executable action, String what) {
        CorruptDataException e = assertThrows(CorruptDataException.class, action, what);
        assertTrue(e.getMessage().contains(pack.toString()), what + ": " + e.getMessage());
    }

    private static ChunkId chunkId(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[31] = (byte) (i >> 8);
        return ChunkId.of(b);
    }

    /** Entries that tile the pack from byte 48, with random lengths and both encodings. */
    private static List<PackEntry> tiled(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PackEntry> out = new ArrayList<>();
        long offset = PackFormat.HEADER_LENGTH;
        for (int i = 0; i < n; i++) {
            int raw = r.nextInt(100_000);
            PackEntry e = r.nextBoolean()
                    ? new PackEntry(chunkId(i), offset, raw + 28, raw, CompressionCode.NONE)
                    : new PackEntry(chunkId(i), offset, 28 + r.nextInt(raw + 1), raw, CompressionCode.ZSTD);
            out.add(e);
            offset = e.end();
        }
        return out;
    }

    private static long endOf(List<PackEntry> entries) {
        return entries.isEmpty() ? PackFormat.HEADER_LENGTH : entries.get(entries.size() - 1).end();
    }

    @Property(tries = 100)
    void encodeDecodeTable_roundTrips(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int n) throws CorruptDataException {
        List<PackEntry> entries = tiled(seed, n);
        byte[] table = PackFormat.encodeTable(entries);
        assertEquals(4 + 52 * n, table.length);
        assertEquals(entries, PackFormat.decodeTable(table, pack, endOf(entries)));
    }

    @Test
    void decodeTable_entriesThatDoNotTileThePack_areRejected() {
        List<PackEntry> entries = tiled(1, 3);
        byte[] table = PackFormat.encodeTable(entries);
        long end = endOf(entries);
        assertCorrupt(() -> PackFormat.decodeTable(table, pack, end + 1), "gap before the table");
        assertCorrupt(() -> PackFormat.decodeTable(table, pack, end - 1), "entries run into the table");

        ByteBuffer b = ByteBuffer.wrap(table.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(4 + 52 + 32, entries.get(1).offset() + 1); // gap between entries 0 and 1
        assertCorrupt(() -> PackFormat.decodeTable(b.array(), pack, end), "gap between entries");

        ByteBuffer first = ByteBuffer.wrap(table.clone()).order(ByteOrder.LITTLE_ENDIAN);
        first.putLong(4 + 32, 0); // the first entry inside the header
        assertCorrupt(() -> PackFormat.decodeTable(first.array(), pack, end), "entry in the header");
    }

    @Test
    void decodeTable_malformedTables_areRejected() {
        List<PackEntry> entries = tiled(2, 2);
        byte[] table = PackFormat.encodeTable(entries);
        long end = endOf(entries);

        assertCorrupt(() -> PackFormat.decodeTable(new byte[3], pack, 48), "shorter than a count");

        byte[] count = table.clone();
        count[0] = 3;
        assertCorrupt(() -> PackFormat.decodeTable(count, pack, end), "count larger than the table");
        byte[] negative = table.clone();
        negative[3] = (byte) 0x80;
        assertCorrupt(() -> PackFormat.decodeTable(negative, pack, end), "negative count");

        byte[] reserved = table.clone();
        reserved[4 + 52 - 1] = 1;
        assertCorrupt(() -> PackFormat.decodeTable(reserved, pack, end), "non-zero reserved byte");

        byte[] code = table.clone();
        code[4 + 48] = 7;
        assertCorrupt(() -> PackFormat.decodeTable(code, pack, end), "unknown compression code");

        List<PackEntry> raw = List.of(new PackEntry(chunkId(0), 48, 128, 100, CompressionCode.NONE));
        byte[] rawTable = PackFormat.encodeTable(raw);
        ByteBuffer.wrap(rawTable).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 44, 99); // raw length != stored - 28
        assertCorrupt(() -> PackFormat.decodeTable(rawTable, pack, 176), "raw entry of the wrong length");
    }

    @Test
    void parseHeader_acceptsItsOwnHeader_andRejectsEveryDamage() throws CorruptDataException {
        byte[] h = PackFormat.header(pack, PackType.TREE);
        assertEquals(PackType.TREE, PackFormat.parseHeader(h, pack));
        assertEquals(PackType.DATA, PackFormat.parseHeader(PackFormat.header(pack, PackType.DATA), pack));
        for (int i = 0; i < 48; i++) {
            byte[] damaged = h.clone();
            damaged[i] ^= 0x04; // turns a tree (0x02) into 0x06, not into another valid type
            int at = i;
            assertCorrupt(() -> PackFormat.parseHeader(damaged, pack), "header byte " + at);
        }
        assertCorrupt(() -> PackFormat.parseHeader(PackFormat.header(PackId.random(), PackType.DATA), pack), "other id");
    }

    @Test
    void aVolumeKeyHeader_isVersion2_namesItsVolume_andIsRefusedCutShortOrForTrees() throws CorruptDataException {
        byte[] volume = new byte[16];
        volume[3] = 9;
        KeySpace space = KeySpace.ofVolume(volume);
        byte[] h = PackFormat.header(pack, PackType.DATA, space);
        assertEquals(64, h.length);
        assertEquals(2, h[8]);
        PackFormat.Header read = PackFormat.readHeader(h, pack);
        assertEquals(space, read.space());
        assertEquals(PackType.DATA, PackFormat.parseHeader(h, pack));
        assertEquals(KeySpace.REPOSITORY, PackFormat.readHeader(PackFormat.header(pack, PackType.DATA), pack).space());
        assertCorrupt(() -> PackFormat.readHeader(java.util.Arrays.copyOf(h, 63), pack), "cut short");
        assertCorrupt(() -> PackFormat.parseHeader(java.util.Arrays.copyOf(h, 48), pack), "only the version 1 part");
        byte[] tree = h.clone();
        tree[9] = (byte) PackType.TREE.code();
        assertCorrupt(() -> PackFormat.readHeader(tree, pack), "a tree pack under a volume's key");
        byte[] v1 = PackFormat.header(pack, PackType.DATA);
        assertCorrupt(() -> PackFormat.parseHeader(java.util.Arrays.copyOf(v1, 64), pack), "a version 1 header with 16 bytes more");
    }

    @Test
    void parseTrailer_checksMagicReservedAndLength() throws CorruptDataException {
        assertEquals(100, PackFormat.parseTrailer(PackFormat.trailer(100), pack, 48 + 100 + 16));
        assertCorrupt(() -> PackFormat.parseTrailer(PackFormat.trailer(100), pack, 48 + 99 + 16), "table longer than the pack");
        assertCorrupt(() -> PackFormat.parseTrailer(PackFormat.trailer(31), pack, 1000), "table shorter than an empty one");
        assertCorrupt(() -> PackFormat.parseTrailer(PackFormat.trailer(-5), pack, 1000), "negative length");
        byte[] reserved = PackFormat.trailer(100);
        reserved[5] = 1;
        assertCorrupt(() -> PackFormat.parseTrailer(reserved, pack, 1000), "reserved bytes");
        byte[] magic = PackFormat.trailer(100);
        magic[15] ^= 1;
        assertCorrupt(() -> PackFormat.parseTrailer(magic, pack, 1000), "magic");
    }

    @Test
    void entryAad_isIdThenCodeThenLittleEndianRawLength() {
        ChunkId id = chunkId(77);
        byte[] aad = PackFormat.entryAad(id, CompressionCode.ZSTD, 0x01020304);
        assertEquals(37, aad.length);
        for (int i = 0; i < 32; i++) {
            assertEquals(id.byteAt(i), aad[i]);
        }
        assertEquals(1, aad[32]);
        assertEquals(0x04, aad[33]);
        assertEquals(0x01, aad[36]);
    }
}
