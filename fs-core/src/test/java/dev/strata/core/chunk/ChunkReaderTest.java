package dev.strata.core.chunk;

import dev.strata.core.chunk.ChunkTestData.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkReaderTest {

    /** A channel over an array that hands out at most {@code maxRead} bytes per read, or a random 1..N. */
    static final class DribblingChannel implements ReadableByteChannel {
        private final byte[] data;
        private final SplittableRandom random;
        private final int maxRead;
        private int position;
        private boolean open = true;
        int reads;

        DribblingChannel(byte[] data, long seed, int maxRead) {
            this.data = data;
            this.random = new SplittableRandom(seed);
            this.maxRead = maxRead;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position == data.length) {
                return -1;
            }
            // Odd, varying sizes: random 1..maxRead, but never more than asked for or left.
            int n = Math.min(1 + random.nextInt(maxRead), Math.min(dst.remaining(), data.length - position));
            dst.put(data, position, n);
            position += n;
            reads++;
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** A channel that fills the whole buffer on every read. */
    static ReadableByteChannel greedy(byte[] data) {
        return new DribblingChannel(data, 0, Integer.MAX_VALUE);
    }

    static List<byte[]> readAll(ChunkReader reader) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c = reader.next(); c != null; c = reader.next()) {
            out.add(c);
        }
        return out;
    }

    static List<Integer> lengths(List<byte[]> chunks) {
        List<Integer> out = new ArrayList<>();
        for (byte[] c : chunks) {
            out.add(c.length);
        }
        return out;
    }

    @Property(tries = 60)
    void next_concatenatedChunks_giveBackTheStream(@ForAll Kind kind, @ForAll long seed,
                                                  @ForAll("sizes") int size) throws IOException {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        ChunkReader reader = new ChunkReader(new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(seed)),
                Channels.newChannel(new ByteArrayInputStream(data)));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] c : readAll(reader)) {
            joined.write(c);
        }
        assertArrayEquals(data, joined.toByteArray());
        assertEquals(size, reader.position());
    }

    @Property(tries = 60)
    void next_withShortOddReads_givesTheSameChunksAsOneBigRead(
            @ForAll Kind kind, @ForAll long seed, @ForAll("sizes") int size,
            @ForAll("readSizes") int maxRead) throws IOException {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(seed));

        List<byte[]> big = readAll(new ChunkReader(chunker, greedy(data)));
        List<byte[]> dribbled = readAll(new ChunkReader(chunker, new DribblingChannel(data, seed, maxRead)));

        assertEquals(lengths(big), lengths(dribbled));
        for (int i = 0; i < big.size(); i++) {
            assertArrayEquals(big.get(i), dribbled.get(i), "chunk " + i);
        }
        // And both are what the chunker finds over the array in memory.
        assertEquals(ChunkTestData.cutLengths(chunker, data), lengths(big));
    }

    @Property(tries = 60)
    void next_ofAReaderToldTheLength_givesTheSameChunksAsAnUnboundedOne(
            @ForAll Kind kind, @ForAll long seed, @ForAll("sizes") int size,
            @ForAll("readSizes") int maxRead, @ForAll("slack") int slack) throws IOException {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(seed));

        List<byte[]> unbounded = readAll(new ChunkReader(chunker, greedy(data)));
        ChunkReader bounded = new ChunkReader(chunker, new DribblingChannel(data, seed, maxRead), (long) size + slack);
        List<byte[]> told = readAll(bounded);

        assertEquals(lengths(unbounded), lengths(told));
        for (int i = 0; i < unbounded.size(); i++) {
            assertArrayEquals(unbounded.get(i), told.get(i), "chunk " + i);
        }
        assertEquals(size, bounded.position());
    }

    @Test
    void next_ofAStreamLongerThanItsStatedLength_fails() {
        byte[] data = ChunkTestData.bytes(Kind.MIXED, 12, 300_000);
        ChunkReader reader = new ChunkReader(new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(12)),
                new DribblingChannel(data, 12, 5_000), 100_000);
        IOException e = assertThrows(IOException.class, () -> readAll(reader));
        assertTrue(e.getMessage().contains("100000 bytes"), e.getMessage());
    }

    @Test
    void next_withOneByteReads_givesTheSameChunks() throws IOException {
        byte[] data = ChunkTestData.bytes(Kind.MIXED, 7, 300_000);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(7));
        DribblingChannel oneByte = new DribblingChannel(data, 7, 1);
        List<byte[]> chunks = readAll(new ChunkReader(chunker, oneByte));
        assertEquals(ChunkTestData.cutLengths(chunker, data), lengths(chunks));
        assertEquals(data.length, oneByte.reads);
    }

    @Test
    void next_maxSizedChunks_refillTheWindowCorrectly() throws IOException {
        // With every Gear entry c = 2^62 + 1, h after n bytes is c * (2^n - 1) mod 2^64, which always has a
        // mask bit set: no cut is ever found, every chunk ends at the maximum, and each call consumes a whole
        // window half, so the reader must refill between chunks.
        long[] gear = new long[256];
        Arrays.fill(gear, 0x4000_0000_0000_0001L);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, gear);
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 8, 10 * 65536 + 12345);
        List<byte[]> chunks = readAll(new ChunkReader(chunker, new DribblingChannel(data, 8, 50_000)));
        assertEquals(11, chunks.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(Arrays.copyOfRange(data, i * 65536, (i + 1) * 65536), chunks.get(i), "chunk " + i);
        }
        assertEquals(12345, chunks.get(10).length);
    }

    @Test
    void next_emptyStream_returnsNull_andKeepsReturningNull() throws IOException {
        ChunkReader reader = new ChunkReader(new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(9)),
                greedy(new byte[0]));
        assertNull(reader.next());
        assertNull(reader.next());
        assertEquals(0, reader.position());
    }

    @Test
    void next_afterTheEnd_keepsReturningNull() throws IOException {
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 10, 100_000);
        ChunkReader reader = new ChunkReader(new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(10)),
                greedy(data));
        long sum = 0;
        for (byte[] c = reader.next(); c != null; c = reader.next()) {
            sum += c.length;
            assertEquals(sum, reader.position());
        }
        assertNull(reader.next());
        assertEquals(data.length, reader.position());
    }

    @Property(tries = 60)
    void next_ofAReaderExpectingALength_givesTheSameChunksAsAnUnboundedOne_whateverTheStreamHolds(
            @ForAll Kind kind, @ForAll long seed, @ForAll("sizes") int size,
            @ForAll("readSizes") int maxRead, @ForAll("expected") int expected) throws IOException {
        byte[] data = ChunkTestData.bytes(kind, seed, size);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(seed));

        List<byte[]> unbounded = readAll(new ChunkReader(chunker, greedy(data)));
        ChunkReader expecting = ChunkReader.expecting(chunker, new DribblingChannel(data, seed, maxRead), expected);
        List<byte[]> got = readAll(expecting);

        assertEquals(lengths(unbounded), lengths(got));
        for (int i = 0; i < unbounded.size(); i++) {
            assertArrayEquals(unbounded.get(i), got.get(i), "chunk " + i);
        }
        assertEquals(size, expecting.position());
    }

    /** A file of the expected size never makes the buffer grow: no window-sized array for a small stream. */
    @Test
    void expecting_theRightLength_keepsTheBufferAtThatLength() throws IOException {
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 5, 20_000);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(5));
        ChunkReader reader = ChunkReader.expecting(chunker, new DribblingChannel(data, 5, 5_000), data.length);

        readAll(reader);

        assertEquals(data.length + 1, reader.bufferLength());
    }

    /**
     * A long stream of chunks of the usual lengths is read through a window of four average chunks, not
     * two maximum chunks: the reading buffer of each large file being backed up is what a backup's heap
     * holds longest.
     */
    @Property(tries = 20)
    void next_ofALongStreamOfUsualChunks_keepsAWindowOfFourAverageChunks(
            @ForAll long seed, @ForAll("readSizes") int maxRead) throws IOException {
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, seed, 40 * ChunkTestData.SMALL.maxSize());
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(seed));
        ChunkReader reader = ChunkReader.expecting(chunker, new DribblingChannel(data, seed, maxRead), data.length);

        List<byte[]> chunks = readAll(reader);

        assertEquals(ChunkTestData.cutLengths(chunker, data), lengths(chunks));
        int longest = lengths(chunks).stream().mapToInt(Integer::intValue).max().orElseThrow();
        int window = 4 * ChunkTestData.SMALL.avgSize();
        // The window grows only for a chunk that does not fit in what is left of it after a move to the front.
        assertEquals(longest < window / 2 ? window : reader.bufferLength(), reader.bufferLength());
        assertTrue(reader.bufferLength() <= ChunkTestData.SMALL.maxSize(), "buffer " + reader.bufferLength());
    }

    /** Chunks of the maximum length (no cut point in the data) grow the buffer to one maximum chunk and no further. */
    @Test
    void next_maxSizedChunks_holdAtMostOneMaximumChunk() throws IOException {
        long[] gear = new long[256];
        Arrays.fill(gear, 0x4000_0000_0000_0001L);
        FastCdcChunker chunker = new FastCdcChunker(ChunkTestData.SMALL, gear);
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 8, 10 * 65536 + 12345);
        ChunkReader reader = new ChunkReader(chunker, new DribblingChannel(data, 8, 50_000));

        List<byte[]> chunks = readAll(reader);

        assertEquals(11, chunks.size());
        assertEquals(ChunkTestData.SMALL.maxSize(), reader.bufferLength());
    }

    @Test
    void next_chunksAreIndependentArrays() throws IOException {
        byte[] data = ChunkTestData.bytes(Kind.RANDOM, 11, 200_000);
        List<byte[]> chunks = readAll(new ChunkReader(
                new FastCdcChunker(ChunkTestData.SMALL, ChunkTestData.gearTable(11)), greedy(data)));
        byte[] firstCopy = chunks.get(0).clone();
        for (int i = 1; i < chunks.size(); i++) {
            Arrays.fill(chunks.get(i), (byte) 0x77);
        }
        assertArrayEquals(firstCopy, chunks.get(0));
    }

    /** Stream sizes up to about ten maximum chunks, spread evenly (jqwik's default bias favours tiny values). */
    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 700_000).withDistribution(RandomDistribution.uniform());
    }

    /** A stream's expected length: nothing, short of it, about right, or far beyond two maximum chunks. */
    @Provide
    Arbitrary<Integer> expected() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(0, 700_000).withDistribution(RandomDistribution.uniform()),
                Arbitraries.integers().between(1_000_000, 5_000_000));
    }

    /** How much longer than the stream its stated length is: none, a little, or past two maximum chunks. */
    @Provide
    Arbitrary<Integer> slack() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(100_000, 200_000));
    }

    /** The largest read the channel hands out: from single bytes to more than a maximum chunk. */
    @Provide
    Arbitrary<Integer> readSizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1, 70_000).withDistribution(RandomDistribution.uniform()));
    }
}
