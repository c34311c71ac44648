package dev.strata.core.compress;

import com.github.luben.zstd.Zstd;
import dev.strata.core.error.CorruptDataException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ZstdCompressorTest {
    private static final int K64 = 64 * 1024;
    private static final int[] SIZES = {0, 1, 2, 100, 4096, K64 - 1, K64, K64 + 1, 200_000, 1024 * 1024 + 3};

    private final ZstdCompressor zstd = new ZstdCompressor(ZstdCompressor.DEFAULT_LEVEL);

    enum Kind { RANDOM, TEXT, ZEROS }

    static byte[] data(Kind kind, long seed, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[size];
        switch (kind) {
            case RANDOM -> r.nextBytes(out);
            case TEXT -> {
                String[] words = "a chunk of text that repeats with small variations over and over again".split(" ");
                int p = 0;
                while (p < size) {
                    byte[] w = (words[r.nextInt(words.length)] + (r.nextInt(10) == 0 ? "\n" : " "))
                            .getBytes(StandardCharsets.US_ASCII);
                    int n = Math.min(w.length, size - p);
                    System.arraycopy(w, 0, out, p, n);
                    p += n;
                }
            }
            case ZEROS -> { }
            default -> throw new AssertionError(kind);
        }
        return out;
    }

    /** Compresses, copies the payload out of the scratch buffer and decompresses it again. */
    private byte[] roundTrip(byte[] src, int offset, int length) throws CorruptDataException {
        Compressed c = zstd.compress(src, offset, length);
        byte[] payload = Arrays.copyOfRange(c.data(), c.offset(), c.offset() + c.length());
        return zstd.decompress(c.code(), payload, 0, payload.length, length);
    }

    @Test
    void compressDecompress_roundTripsEveryKindAtEverySize() throws CorruptDataException {
        for (Kind kind : Kind.values()) {
            for (int size : SIZES) {
                byte[] src = data(kind, size, size);
                assertArrayEquals(src, roundTrip(src, 0, size), kind + " of " + size + " bytes");
            }
        }
    }

    @Property(tries = 100)
    void compressDecompress_roundTripsAnySlice(@ForAll Kind kind, @ForAll long seed, @ForAll("sizes") int size) throws CorruptDataException {
        SplittableRandom r = new SplittableRandom(seed);
        int before = r.nextInt(50);
        int after = r.nextInt(50);
        byte[] buffer = new byte[before + size + after];
        r.nextBytes(buffer);
        System.arraycopy(data(kind, seed, size), 0, buffer, before, size);
        byte[] expected = Arrays.copyOfRange(buffer, before, before + size);
        assertArrayEquals(expected, roundTrip(buffer, before, size));
    }

    @ParameterizedTest
    @ValueSource(ints = {K64, K64 + 1, 100_000, 1024 * 1024, 8 * 1024 * 1024})
    void compress_randomDataFromTheSampleThresholdUp_isStoredRawWithoutCopying(int size) {
        byte[] src = data(Kind.RANDOM, size, size + 7);
        Compressed c = zstd.compress(src, 7, size);
        assertEquals(CompressionCode.NONE, c.code());
        assertSame(src, c.data(), "a raw payload is a view of the input");
        assertEquals(7, c.offset());
        assertEquals(size, c.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100, 4096, K64 - 1})
    void compress_randomDataBelowTheSampleThreshold_isStoredRaw(int size) {
        byte[] src = data(Kind.RANDOM, size, size);
        Compressed c = zstd.compress(src, 0, size);
        assertEquals(CompressionCode.NONE, c.code());
        assertEquals(size, c.length());
    }

    @Test
    void compress_empty_isStoredRaw() throws CorruptDataException {
        Compressed c = zstd.compress(new byte[0], 0, 0);
        assertEquals(CompressionCode.NONE, c.code());
        assertEquals(0, c.length());
        assertEquals(0, zstd.decompress(CompressionCode.NONE, new byte[0], 0, 0, 0).length);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 4096, K64 - 1, K64, K64 + 1, 200_000, 1024 * 1024 + 3})
    void compress_compressibleData_isZstdAndSmaller(int size) throws CorruptDataException {
        for (Kind kind : new Kind[] {Kind.TEXT, Kind.ZEROS}) {
            byte[] src = data(kind, size, size);
            Compressed c = zstd.compress(src, 0, size);
            assertEquals(CompressionCode.ZSTD, c.code(), kind + " of " + size + " bytes");
            assertTrue(c.length() < size, kind + " of " + size + " bytes compressed to " + c.length());
            // A standard zstd frame: any zstd reads it back.
            byte[] payload = Arrays.copyOfRange(c.data(), c.offset(), c.offset() + c.length());
            assertArrayEquals(src, Zstd.decompress(payload, size));
        }
    }

    @Test
    void compress_tinyCompressibleInput_isStoredRawWhenTheFrameWouldNotBeSmaller() {
        // A zstd frame has a header of several bytes; one or two zero bytes cannot shrink.
        for (int size = 1; size <= 4; size++) {
            Compressed c = zstd.compress(new byte[size], 0, size);
            assertEquals(CompressionCode.NONE, c.code(), size + " zero bytes");
        }
    }

    @Test
    void sampleCompresses_seesRandomAsIncompressible_andTextAsCompressible() {
        assertFalse(zstd.sampleCompresses(data(Kind.RANDOM, 1, 1 << 20), 0, 1 << 20));
        assertTrue(zstd.sampleCompresses(data(Kind.TEXT, 1, 1 << 20), 0, 1 << 20));
        assertTrue(zstd.sampleCompresses(new byte[K64], 0, K64));
    }

    @Test
    void compress_chunkWhoseSampleSlicesAreNoise_isStoredRawWithoutAFullPass() {
        // docs/format.md §8: the sample is four 8 KiB slices at 0, 1/4, 1/2 and 3/4 of the chunk; if it
        // does not shrink, the chunk is stored raw even though the rest of it (zeros) would compress.
        int size = 1024 * 1024;
        byte[] src = new byte[size];
        byte[] noise = data(Kind.RANDOM, 11, 4 * 8192);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(noise, i * 8192, src, i * (size / 4), 8192);
        }
        Compressed c = zstd.compress(src, 0, size);
        assertEquals(CompressionCode.NONE, c.code());
        assertSame(src, c.data());
    }

    @Test
    void compress_randomWithCompressibleSampleSlices_isStillRoundTripped() throws CorruptDataException {
        // Zeros exactly where the sample looks, noise elsewhere: the probe says "compress", the full pass
        // finds it barely shrinks; either way the result must decode.
        int size = 1024 * 1024;
        byte[] src = data(Kind.RANDOM, 2, size);
        for (int i = 0; i < 4; i++) {
            Arrays.fill(src, i * (size / 4), i * (size / 4) + 8192, (byte) 0);
        }
        assertArrayEquals(src, roundTrip(src, 0, size));
    }

    // ---- Damaged payloads and wrong lengths ----

    private byte[] zstdPayload(byte[] src) {
        Compressed c = zstd.compress(src, 0, src.length);
        assertEquals(CompressionCode.ZSTD, c.code());
        return Arrays.copyOfRange(c.data(), c.offset(), c.offset() + c.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1000, -1, 1, 1000})
    void decompress_zstdWithWrongRawLength_throwsCorruptData(int delta) {
        byte[] src = data(Kind.TEXT, 3, 100_000);
        byte[] payload = zstdPayload(src);
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.ZSTD, payload, 0, payload.length, src.length + delta));
    }

    @Test
    void decompress_zstdWithRawLengthZero_throwsCorruptData() {
        byte[] payload = zstdPayload(data(Kind.TEXT, 4, 5000));
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.ZSTD, payload, 0, payload.length, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1})
    void decompress_rawWithWrongRawLength_throwsCorruptData(int delta) {
        byte[] src = data(Kind.RANDOM, 5, 1000);
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.NONE, src, 0, src.length, src.length + delta));
    }

    @Test
    void decompress_truncatedZstdPayload_throwsCorruptData() {
        byte[] src = data(Kind.TEXT, 6, 100_000);
        byte[] payload = zstdPayload(src);
        for (int cut : new int[] {0, 1, 4, 5, payload.length / 2, payload.length - 1}) {
            assertThrows(CorruptDataException.class,
                    () -> zstd.decompress(CompressionCode.ZSTD, payload, 0, cut, src.length), "payload cut to " + cut);
        }
    }

    @Test
    void decompress_damagedFrameHeader_throwsCorruptData() {
        byte[] src = data(Kind.TEXT, 7, 100_000);
        byte[] payload = zstdPayload(src);
        for (int i = 0; i < 4; i++) { // the frame's magic number
            byte[] damaged = payload.clone();
            damaged[i] ^= 0x10;
            assertThrows(CorruptDataException.class,
                    () -> zstd.decompress(CompressionCode.ZSTD, damaged, 0, damaged.length, src.length), "magic byte " + i);
        }
    }

    @Test
    void decompress_garbage_throwsCorruptData() {
        byte[] garbage = data(Kind.RANDOM, 8, 5000);
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.ZSTD, garbage, 0, garbage.length, 20_000));
    }

    @Test
    void decompress_trailingGarbageAfterTheFrame_throwsCorruptData() {
        byte[] src = data(Kind.TEXT, 9, 50_000);
        byte[] payload = zstdPayload(src);
        byte[] longer = Arrays.copyOf(payload, payload.length + 7);
        Arrays.fill(longer, payload.length, longer.length, (byte) 0x5A);
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.ZSTD, longer, 0, longer.length, src.length));
    }

    /**
     * zstd frames here carry no checksum (the pack's GCM tag guards the bytes), so a flip inside literal
     * data can decode to other bytes of the right length. What must never happen is an exception other
     * than CorruptDataException escaping from the native decoder.
     */
    @Property(tries = 300)
    void decompress_anyFlippedByte_failsOnlyWithCorruptData(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] src = data(r.nextBoolean() ? Kind.TEXT : Kind.ZEROS, seed, 1 + r.nextInt(150_000));
        // A few bytes are not worth compressing and are stored raw: no zstd frame to damage.
        net.jqwik.api.Assume.that(zstd.compress(src, 0, src.length).code() == CompressionCode.ZSTD);
        byte[] payload = zstdPayload(src);
        byte[] damaged = payload.clone();
        int position = r.nextInt(damaged.length);
        damaged[position] ^= (byte) (1 + r.nextInt(255));
        try {
            byte[] out = zstd.decompress(CompressionCode.ZSTD, damaged, 0, damaged.length, src.length);
            assertEquals(src.length, out.length);
        } catch (CorruptDataException expected) {
            // fine: the damage was noticed
        } catch (RuntimeException e) {
            fail("byte " + position + " of " + damaged.length + " flipped: " + e, e);
        }
    }

    @Test
    void decompress_afterAFailure_theThreadsContextStillWorks() throws CorruptDataException {
        byte[] src = data(Kind.TEXT, 10, 80_000);
        byte[] payload = zstdPayload(src);
        assertThrows(CorruptDataException.class,
                () -> zstd.decompress(CompressionCode.ZSTD, payload, 0, payload.length / 2, src.length));
        assertArrayEquals(src, zstd.decompress(CompressionCode.ZSTD, payload, 0, payload.length, src.length));
    }

    @Test
    void compress_isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] src = data(Kind.TEXT, seed * 100 + i, 10_000 + (int) seed * 7_000 + i);
                        assertArrayEquals(src, roundTrip(src, 0, src.length));
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void constructor_rejectsLevelsOutsideOneToNineteen() {
        assertThrows(IllegalArgumentException.class, () -> new ZstdCompressor(0));
        assertThrows(IllegalArgumentException.class, () -> new ZstdCompressor(20));
        assertEquals(19, new ZstdCompressor(19).level());
    }

    @Test
    void compressionCode_codesAreTheDocumentedNumbers() {
        assertEquals(0x00, CompressionCode.NONE.code());
        assertEquals(0x01, CompressionCode.ZSTD.code());
        assertSame(CompressionCode.ZSTD, CompressionCode.fromCode(1));
        assertThrows(IllegalArgumentException.class, () -> CompressionCode.fromCode(2));
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 300_000).withDistribution(RandomDistribution.uniform());
    }
}
