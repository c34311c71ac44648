package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.testing.Mutations;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Valid pack headers, tables and trailers with random damage: decoding gives a value that still
 * describes a well-formed pack, or {@link CorruptDataException} naming the pack, quickly.
 */
class PackDecoderFuzzTest {
    private static final long MAX_NANOS = 1_000_000_000L;
    private static final PackId PACK = PackId.random();

    @Property(tries = 1500)
    void damagedTable_decodesOrIsCorrupt(@ForAll long seed) {
        Random random = new Random(seed);
        List<PackEntry> entries = new ArrayList<>();
        long offset = PackFormat.HEADER_LENGTH;
        for (int i = random.nextInt(20); i > 0; i--) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            int raw = random.nextInt(1 << 22);
            boolean zstd = random.nextBoolean();
            int stored = zstd ? PackFormat.ENTRY_OVERHEAD + 1 + random.nextInt(1 << 22) : raw + PackFormat.ENTRY_OVERHEAD;
            PackEntry e = new PackEntry(ChunkId.of(id), offset, stored, raw, zstd ? CompressionCode.ZSTD : CompressionCode.NONE);
            entries.add(e);
            offset = e.end();
        }
        byte[] damaged = Mutations.mutate(PackFormat.encodeTable(entries), random);
        long tableOffset = random.nextInt(8) == 0 ? random.nextLong() : offset;
        long start = System.nanoTime();
        try {
            List<PackEntry> decoded = PackFormat.decodeTable(damaged, PACK, tableOffset);
            long expected = PackFormat.HEADER_LENGTH;
            for (PackEntry e : decoded) {
                assertThat(e.offset()).isEqualTo(expected);
                assertThat(e.rawLength()).isBetween(0, PackEntry.MAX_RAW_LENGTH);
                expected = e.end();
            }
            assertThat(expected).isEqualTo(tableOffset);
        } catch (CorruptDataException e) {
            assertThat(e.getMessage()).startsWith("pack " + PACK + ": ");
        }
        assertThat(System.nanoTime() - start).isLessThan(MAX_NANOS);
    }

    @Property(tries = 1000)
    void damagedHeaderAndTrailer_parseOrAreCorrupt(@ForAll long seed) {
        Random random = new Random(seed);
        long packSize = PackFormat.HEADER_LENGTH + PackFormat.TRAILER_LENGTH + random.nextInt(1 << 26);
        byte[] header = Mutations.mutate(PackFormat.header(PACK, random.nextBoolean() ? PackType.DATA : PackType.TREE), random);
        byte[] trailer = Mutations.mutate(PackFormat.trailer(random.nextInt(1 << 20)), random);
        try {
            PackType type = PackFormat.parseHeader(header, PACK);
            assertThat(header).hasSize(PackFormat.HEADER_LENGTH);
            assertThat(type).isNotNull();
        } catch (CorruptDataException e) {
            assertThat(e.getMessage()).startsWith("pack " + PACK + ": ");
        }
        try {
            if (trailer.length == PackFormat.TRAILER_LENGTH) {
                int tableLength = PackFormat.parseTrailer(trailer, PACK, packSize);
                assertThat((long) tableLength).isBetween((long) PackFormat.ENTRY_OVERHEAD + 4,
                        packSize - PackFormat.HEADER_LENGTH - PackFormat.TRAILER_LENGTH);
            }
        } catch (CorruptDataException e) {
            assertThat(e.getMessage()).startsWith("pack " + PACK + ": ");
        }
    }
}
