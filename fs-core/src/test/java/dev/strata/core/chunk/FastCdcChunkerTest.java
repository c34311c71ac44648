package dev.strata.core.chunk;

import dev.strata.core.chunk.ChunkTestData.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FastCdcChunkerTest {

    // ---- The rule in FastCdcChunker's javadoc, byte by byte, written from the javadoc alone ----

    /**
     * Starting at position {@code min} with {@code h = 0}: {@code h = (h << 1) + gear[b]} for each byte; the
     * chunk ends after the first byte at position {@code p} with {@code h & mask == 0}, the strict mask
     * ({@code bits + 2} ones) while {@code p < avg} and the loose one ({@code bits - 2} ones) after; else at
     * {@code max} or at the end of the data.
     */
    static int referenceCut(byte[] data, int offset, int length, ChunkerParams params, long[] gear) {
        if (length <= params.minSize()) {
            return length;
        }
        int bits = Integer.numberOfTrailingZeros(params.avgSize());
        long strict = documentedMask(bits + 2);
        long loose = documentedMask(bits - 2);
        int limit = Math.min(length, params.maxSize());
        long h = 0;
        for (int p = params.minSize(); p < limit; p++) {
            h = (h << 1) + gear[data[offset + p] & 0xFF];
            long mask = p < params.avgSize() ? strict : loose;
            if ((h & mask) == 0) {
                return p + 1;
            }
        }
        return limit;
    }

    /** {@code bits} ones spread over bit positions 15..62: position {@code 62 - (i * 48) / bits}. */
    static long documentedMask(int bits) {
        long mask = 0;
        for (int i = 0; i < bits; i++) {
            int position = 62 - (i * 48) / bits;
            mask |= 1L << position;
        }
        return mask;
    }

    static List<Integer> referenceLengths(byte[] data, int offset, int length, ChunkerParams params, long[] gear) {
        List<Integer> out = new ArrayList<>();
        int p = offset;
        while (p < offset + length) {
            int n = referenceCut(data, p, offset + length - p, params, gear);
            out.add(n);
            p += n;
        }
        return out;
    }

    @Test
    void spreadMask_hasTheDocumentedBits_andKeepsBit63Clear() {
        for (int bits = 4; bits <= 30; bits++) {
            long mask = FastCdcChunker.spreadMask(bits);
            assertEquals(documentedMask(bits), mask, "mask of " + bits + " bits");
            assertEquals(bits, Long.bitCount(mask), "ones in the mask of " + bits + " bits");
            assertEquals(0, mask & (1L << 63), "bit 63 of the mask of " + bits + " bits");
            assertEquals(0, mask & ((1L << 15) - 1), "bits below 15 of the mask of " + bits + " bits");
        }
    }

    @Test
    void masks_strictHasTwoMoreBitsThanTheAverage_looseTwoFewer() {
        FastCdcChunker c = new FastCdcChunker(ChunkerParams.DEFAULT, ChunkTestData.gearTable(1));
        assertEquals(22, Long.bitCount(c.maskStrict()));
        assertEquals(18, Long.bitCount(c.maskLoose()));
    }

    @Property(tries = 400)
    void cut_twoBytesPerStep_givesTheSameCutPointsAsTheByteByByteRule(
            @ForAll("params") ChunkerParams params,
            @ForAll("gearTables") long[] gear,
            @ForAll Kind kind,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 5) int lengthInMaxSizes,
            @ForAll @IntRange(min = 0, max = 17) int offset) {
        SplittableRandom r = new SplittableRandom(seed);
        int length = lengthInMaxSizes * params.maxSize() + r.nextInt(params.maxSize() + 1);
        byte[] data = new byte[offset + length + 5];
        byte[] body = ChunkTestData.bytes(kind, seed, length);
        System.arraycopy(body, 0, data, offset, length);
        // Bytes around the range must not matter.
        if (offset > 0) {
            data[offset - 1] = (byte) 0xA5;
        }
        data[data.length - 1] = (byte) 0x5A;

        FastCdcChunker chunker = new FastCdcChunker(params, gear);
        List<Integer> expected = referenceLengths(data, offset, length, params, gear);
        assertEquals(expected, ChunkTestData.cutLengths(chunker, data, offset, length));
    }

    @Property(tries = 300)
    void cut_lengthsAroundMinAvgAndMax_matchTheByteByByteRule(
            @ForAll("params") ChunkerParams params,
            @ForAll("gearTables") long[] gear,
            @ForAll long seed) {
        // Exercises the ends of the data: odd and even lengths around min, avg and max.
        SplittableRandom r = new SplittableRandom(seed);
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, seed, params.maxSize() + 3);
        FastCdcChunker chunker = new FastCdcChunker(params, gear);
        int[] around = {params.minSize(), params.avgSize(), params.maxSize()};
        for (int base : around) {
            for (int d = -3; d <= 3; d++) {
                int length = base + d;
                if (length >= 0 && length <= data.length) {
                    assertEquals(referenceCut(data, 0, length, params, gear), chunker.cut(data, 0, length),
                            "cut of " + length + " bytes");
                }
            }
        }
        int length = r.nextInt(data.length + 1);
        assertEquals(referenceCut(data, 0, length, params, gear), chunker.cut(data, 0, length), "cut of " + length + " bytes");
    }

    @Test
    void cut_defaultParams_matchTheByteByByteRule() {
        byte[] data = ChunkTestData.bytes(Kind.MIXED, 20, 24 * 1024 * 1024);
        long[] gear = ChunkTestData.gearTable(20);
        FastCdcChunker chunker = new FastCdcChunker(ChunkerParams.DEFAULT, gear);
        List<Integer> expected = referenceLengths(data, 0, data.length, ChunkerParams.DEFAULT, gear);
        assertEquals(expected, ChunkTestData.cutLengths(chunker, data));
        assertTrue(expected.size() > 8, "content-defined cuts happened: " + expected.size() + " chunks");
    }

    @Property(tries = 60)
    void cut_isDeterministic(@ForAll Kind kind, @ForAll long seed,
                             @ForAll("sizes") int size) {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        long[] gear = ChunkTestData.gearTable(seed);
        List<Integer> first = ChunkTestData.cutLengths(new FastCdcChunker(ChunkTestData.SMALL, gear), data);
        List<Integer> second = ChunkTestData.cutLengths(new FastCdcChunker(ChunkTestData.SMALL, gear.clone()),
                data.clone());
        assertEquals(first, second);
    }

    @Property(tries = 60)
    void cut_neverExceedsMaxSize_andOnlyTheLastChunkIsShorterThanMin(
            @ForAll Kind kind, @ForAll long seed, @ForAll("sizes") int size) {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        ChunkerParams p = ChunkTestData.SMALL;
        List<Integer> lengths = ChunkTestData.cutLengths(new FastCdcChunker(p, ChunkTestData.gearTable(seed)), data);
        long total = 0;
        for (int i = 0; i < lengths.size(); i++) {
            int n = lengths.get(i);
            total += n;
            assertTrue(n <= p.maxSize(), "chunk " + i + " of " + n + " bytes is over the maximum");
            if (i < lengths.size() - 1) {
                assertTrue(n >= p.minSize(), "chunk " + i + " of " + n + " bytes is under the minimum");
            } else {
                assertTrue(n >= 1, "the last chunk is empty");
            }
        }
        assertEquals(size, total, "chunk lengths add up to the input");
    }

    @Test
    void cut_randomData_averagesNearTheTargetSize() {
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 3, 16 * 1024 * 1024);
        List<Integer> lengths = ChunkTestData.cutLengths(
                new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(3)), data);
        double mean = (double) data.length / lengths.size();
        // Normalized chunking concentrates sizes around min + avg-ish; far off means broken masks.
        assertTrue(mean > 4 * 1024 && mean < 16 * 1024, "mean chunk size " + mean);
        long atMax = lengths.stream().filter(n -> n == ChunkTestData.SMALL.maxSize()).count();
        assertTrue(atMax < lengths.size() / 100 + 1, atMax + " of " + lengths.size() + " chunks hit the maximum");
    }

    @Test
    void cut_atMostMinBytes_takesThemAll() {
        FastCdcChunker c = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(4));
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 4, 10_000);
        assertEquals(0, c.cut(data, 0, 0));
        assertEquals(1, c.cut(data, 7, 1));
        assertEquals(2048, c.cut(data, 3, 2048));
    }

    @Test
    void cut_allZeroGear_cutsRightAfterTheMinimum() {
        // h stays 0, so the first byte examined (position min) already matches any mask.
        FastCdcChunker c = new FastCdcChunker(ChunkTestData.SMALL, new long[256]);
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 5, 100_000);
        assertEquals(2049, c.cut(data, 0, data.length));
        assertEquals(2049, c.cut(data, 1, data.length - 1));
    }

    @Test
    void constructor_rejectsAGearTableOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> new FastCdcChunker(ChunkTestData.SMALL, new long[255]));
    }

    @Test
    void constructor_copiesTheGearTable() {
        long[] gear = ChunkTestData.gearTable(6);
        FastCdcChunker c = new FastCdcChunker(ChunkTestData.SMALL, gear);
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 6, 300_000);
        List<Integer> before = ChunkTestData.cutLengths(c, data);
        Arrays.fill(gear, 0);
        assertEquals(before, ChunkTestData.cutLengths(c, data));
    }

    @Test
    void params_rejectInvalidCombinations() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(2048, 6000, 65536));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(8192, 8192, 65536));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(2048, 8192, 8192));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(63, 128, 1024));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(100, 128, 1024));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 64 * 1024 * 1024, 64 * 1024 * 1024 + 1));
        assertEquals(20, ChunkerParams.DEFAULT.averageBits());
    }

    // ---- Shift resistance with the real default parameters ----

    /**
     * Inserting a few bytes near the start of a 64 MiB stream may only disturb the chunks around the
     * insertion: every other chunk must come back byte for byte.
     */
    @ParameterizedTest(name = "seed {0}: insert {2} bytes at {1}")
    @CsvSource({
            "101, 0, 1",
            "202, 1000, 16",
            "303, 524287, 7",
            "404, 1048580, 3",
            "505, 1900000, 12",
    })
    void cut_insertingAFewBytesNearTheStart_changesAtMostThreeChunks(long seed, int position, int inserted) {
        byte[] before = ChunkTestData.bytes(Kind.RANDOM, seed, 64 * 1024 * 1024);
        byte[] insertion = ChunkTestData.bytes(Kind.RANDOM, ~seed, inserted);
        byte[] after = new byte[before.length + inserted];
        System.arraycopy(before, 0, after, 0, position);
        System.arraycopy(insertion, 0, after, position, inserted);
        System.arraycopy(before, position, after, position + inserted, before.length - position);

        FastCdcChunker chunker = new FastCdcChunker(ChunkerParams.DEFAULT, ChunkTestData.gearTable(seed));
        List<String> oldChunks = digests(before, ChunkTestData.cutLengths(chunker, before));
        List<String> newChunks = digests(after, ChunkTestData.cutLengths(chunker, after));

        assertTrue(oldChunks.size() >= 20, "64 MiB of noise gave only " + oldChunks.size() + " chunks");
        int added = missingFrom(newChunks, oldChunks);
        int removed = missingFrom(oldChunks, newChunks);
        if (added > 3 || removed > 3) {
            fail("inserting " + inserted + " bytes at " + position + " replaced " + removed + " of "
                    + oldChunks.size() + " chunks by " + added + " new ones");
        }
        assertTrue(added >= 1, "the chunk holding the insertion must be new");
    }

    /** How many elements of {@code a} (as a multiset) have no partner in {@code b}. */
    private static int missingFrom(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (String s : b) {
            counts.merge(s, 1, Integer::sum);
        }
        int missing = 0;
        for (String s : a) {
            Integer c = counts.get(s);
            if (c == null || c == 0) {
                missing++;
            } else {
                counts.put(s, c - 1);
            }
        }
        return missing;
    }

    private static List<String> digests(byte[] data, List<Integer> lengths) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        List<String> out = new ArrayList<>();
        int p = 0;
        for (int n : lengths) {
            sha.update(data, p, n);
            out.add(HexFormat.of().formatHex(sha.digest()));
            p += n;
        }
        return out;
    }

    // ---- Generators ----

    @Provide
    Arbitrary<ChunkerParams> params() {
        return Arbitraries.integers().between(8, 13).flatMap(bits -> {
            int avg = 1 << bits;
            Arbitrary<Integer> min = Arbitraries.integers().between(64, avg - 1)
                    .withDistribution(RandomDistribution.uniform());
            Arbitrary<Integer> max = Arbitraries.integers().between(avg + 1, avg * 6)
                    .withDistribution(RandomDistribution.uniform());
            return Combinators.combine(min, max).as((lo, hi) -> new ChunkerParams(lo, avg, hi));
        });
    }

    /** Dense random tables, and sparse or degenerate ones that make cuts (and odd cut points) frequent. */
    @Provide
    Arbitrary<long[]> gearTables() {
        Arbitrary<long[]> dense = Arbitraries.longs().map(ChunkTestData::gearTable);
        Arbitrary<long[]> sparse = Arbitraries.longs().map(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            long[] g = new long[256];
            for (int i = 0; i < 256; i++) {
                g[i] = r.nextInt(3) == 0 ? 0 : 1L << r.nextInt(64);
            }
            return g;
        });
        Arbitrary<long[]> highBits = Arbitraries.longs().map(seed -> {
            long[] g = ChunkTestData.gearTable(seed);
            for (int i = 0; i < 256; i++) {
                g[i] |= 0xC000_0000_0000_0000L; // bits 63 and 62 set: what the shifted form must drop
            }
            return g;
        });
        Arbitrary<long[]> constant = Arbitraries.longs().map(v -> {
            long[] g = new long[256];
            Arrays.fill(g, v);
            return g;
        });
        return Arbitraries.frequencyOf(
                Tuple.of(5, dense),
                Tuple.of(3, sparse),
                Tuple.of(2, highBits),
                Tuple.of(1, constant));
    }

    /** Stream sizes up to about ten maximum chunks, spread evenly (jqwik's default bias favours tiny values). */
    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 700_000).withDistribution(RandomDistribution.uniform());
    }
}
