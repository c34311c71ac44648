package dev.strata.core.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Splits a stream into content-defined chunks without holding more than two maximum chunk sizes of it.
 * Each chunk is returned as its own array, which the caller owns. Confined to one thread.
 */
public final class ChunkReader {
    private final Chunker chunker;
    private final ReadableByteChannel source;
    private byte[] buffer;
    private ByteBuffer window;
    /** The size the buffer may grow to: two maximum chunks, or the stream's stated length. */
    private final int limit;
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
     * A reader of a stream of at most {@code maxLength} bytes, with a buffer no larger than that: the
     * same chunks as the unbounded reader without zeroing two maximum chunk sizes of memory for a small
     * file. A source that gives more than {@code maxLength} bytes is an error.
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
        this.limit = (int) Math.min(2L * chunker.params().maxSize(), maxLength);
        // One byte more than expected, so that the end of the stream is seen without growing.
        this.buffer = new byte[expectedLength >= limit ? limit : (int) expectedLength + 1];
        this.window = ByteBuffer.wrap(buffer);
        this.maxLength = maxLength;
    }

    /**
     * A reader of a stream that probably holds {@code expectedLength} bytes (a file's size as last
     * seen) but may hold more or fewer: its buffer starts at that size and grows to two maximum chunk
     * sizes only if the stream is longer. The same chunks as the unbounded reader, without allocating
     * and zeroing 16 MiB for every file of a few MiB.
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
        if (end - start < max && !eof) {
            fill(max);
        }
        int available = end - start;
        if (available == 0) {
            return null;
        }
        int length = chunker.cut(buffer, start, available);
        byte[] chunk = Arrays.copyOfRange(buffer, start, start + length);
        start += length;
        position += length;
        return chunk;
    }

    /** The buffer's current size (tests check that it follows the stream's expected length). */
    int bufferLength() {
        return buffer.length;
    }

    /** Bytes returned in chunks so far. */
    public long position() {
        return position;
    }

    private void fill(int wanted) throws IOException {
        if (start > 0 && buffer.length - start < wanted) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < wanted) {
            if (end == buffer.length) {
                if (buffer.length >= limit) {
                    return;
                }
                grow(wanted);
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

    /** A larger buffer (at least twice the size, at most the limit) holding the same unread bytes at the start. */
    private void grow(int wanted) {
        int size = (int) Math.min(limit, Math.max(2L * buffer.length, (long) (end - start) + wanted));
        byte[] bigger = new byte[size];
        System.arraycopy(buffer, start, bigger, 0, end - start);
        end -= start;
        start = 0;
        buffer = bigger;
        window = ByteBuffer.wrap(buffer);
    }
}
