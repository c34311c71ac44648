package dev.strata.core.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Splits a stream into content-defined chunks through a window of about four average chunks (4 MiB
 * with the default sizes), which grows towards one maximum chunk only while a chunk that long is being
 * cut. Each chunk is returned as its own array, which the caller owns. Confined to one thread.
 *
 * <p>The chunker's cut point depends only on the bytes before it: a cut it finds before the end of
 * the bytes it was shown is the cut it would find in the whole stream. So the reader shows it two
 * average chunks, and only when no cut lies within them does it read on (doubling what it shows, up
 * to a maximum chunk). The chunks are the same as from a buffer of the whole stream, without holding
 * two maximum chunks (16 MiB) per file being read.
 */
public final class ChunkReader {
    /** The window a reader keeps, in average chunks, when its chunks are of the usual lengths. */
    private static final int WINDOW_AVERAGE_CHUNKS = 4;
    /** How much a reader shows the chunker at first, in average chunks: most chunks end within it. */
    private static final int FIRST_LOOK_AVERAGE_CHUNKS = 2;

    private final Chunker chunker;
    private final ReadableByteChannel source;
    private byte[] buffer;
    private ByteBuffer window;
    /** The size the buffer may grow to: one maximum chunk, or one byte more than the stream's stated length. */
    private final int limit;
    private final int firstLook;
    private int start;
    private int end;
    private boolean eof;
    private long position;
    /** The most bytes the source may give (unbounded: Long.MAX_VALUE), and how many it gave. */
    private final long maxLength;
    private long received;

    public ChunkReader(Chunker chunker, ReadableByteChannel source) {
        this(chunker, source, Long.MAX_VALUE);
    }

    /**
     * A reader of a stream of at most {@code maxLength} bytes, with a buffer no larger than that (and
     * one byte to see its end): the same chunks as the unbounded reader without zeroing a window of
     * memory for a small file. A source that gives more than {@code maxLength} bytes is an error.
     */
    public ChunkReader(Chunker chunker, ReadableByteChannel source, long maxLength) {
        this(chunker, source, maxLength, maxLength);
    }

    private ChunkReader(Chunker chunker, ReadableByteChannel source, long maxLength, long expectedLength) {
        if (maxLength < 0 || expectedLength < 0) {
            throw new IllegalArgumentException("negative stream length " + Math.min(maxLength, expectedLength));
        }
        this.chunker = chunker;
        this.source = source;
        ChunkerParams params = chunker.params();
        this.limit = maxLength < params.maxSize() ? (int) maxLength + 1 : params.maxSize();
        this.firstLook = (int) Math.min(params.maxSize(), (long) FIRST_LOOK_AVERAGE_CHUNKS * params.avgSize());
        long usual = Math.min(limit, (long) WINDOW_AVERAGE_CHUNKS * params.avgSize());
        // One byte more than expected, so that the end of the stream is seen without growing.
        this.buffer = new byte[(int) Math.min(usual, expectedLength + 1)];
        this.window = ByteBuffer.wrap(buffer);
        this.maxLength = maxLength;
    }

    /**
     * A reader of a stream that probably holds {@code expectedLength} bytes (a file's size as last
     * seen) but may hold more or fewer: its buffer starts at that size (at most the usual window) and
     * grows only if the stream is longer and its chunks need it. The same chunks as the unbounded
     * reader, without allocating and zeroing a window for every small file.
     */
    public static ChunkReader expecting(Chunker chunker, ReadableByteChannel source, long expectedLength) {
        if (expectedLength < 0) {
            throw new IllegalArgumentException("negative stream length " + expectedLength);
        }
        return new ChunkReader(chunker, source, Long.MAX_VALUE, expectedLength);
    }

    /** The next chunk, or {@code null} at the end of the stream. */
    public byte[] next() throws IOException {
        int max = chunker.params().maxSize();
        int wanted = firstLook;
        while (true) {
            if (end - start < wanted && !eof) {
                fill(wanted);
            }
            int available = end - start;
            if (available == 0) {
                return null;
            }
            int length = chunker.cut(buffer, start, available);
            // A cut before the end of what was shown is final; so is any cut in a maximum chunk or at
            // the end of the stream. Otherwise the chunk may go on: show the chunker more of it.
            if (length < available || available >= max || eof) {
                byte[] chunk = Arrays.copyOfRange(buffer, start, start + length);
                start += length;
                position += length;
                return chunk;
            }
            wanted = (int) Math.min(max, 2L * available);
        }
    }

    /** The buffer's current size (tests check that it follows the stream's expected length). */
    int bufferLength() {
        return buffer.length;
    }

    /** Bytes returned in chunks so far. */
    public long position() {
        return position;
    }

    /**
     * Reads until {@code wanted} bytes are unread in the buffer, or to the end of the stream. A full
     * buffer first moves its unread bytes to the front, and grows only if they fill it.
     */
    private void fill(int wanted) throws IOException {
        while (end - start < wanted) {
            if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else if (buffer.length < limit) {
                    grow(wanted);
                } else {
                    // A full buffer at its limit holds a maximum chunk, or more than a bounded stream may give.
                    throw new IllegalStateException("a reading buffer of " + limit + " bytes cannot hold " + wanted);
                }
            }
            window.limit(buffer.length).position(end);
            int n = source.read(window);
            if (n < 0) {
                eof = true;
                return;
            }
            end += n;
            received += n;
            if (received > maxLength) {
                throw new IOException("the stream is longer than the " + maxLength + " bytes it was said to hold");
            }
        }
    }

    /**
     * A larger buffer (at least twice the size, at most the limit) holding the same unread bytes, which
     * start at its front: room for {@code wanted} bytes and one more, to see the stream's end.
     */
    private void grow(int wanted) {
        byte[] bigger = new byte[(int) Math.min(limit, Math.max(2L * buffer.length, wanted + 1L))];
        System.arraycopy(buffer, 0, bigger, 0, end);
        buffer = bigger;
        window = ByteBuffer.wrap(buffer);
    }
}
