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
    private final byte[] buffer;
    private final ByteBuffer window;
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
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative stream length " + maxLength);
        }
        this.chunker = chunker;
        this.source = source;
        this.buffer = new byte[(int) Math.min(2L * chunker.params().maxSize(), maxLength)];
        this.window = ByteBuffer.wrap(buffer);
        this.maxLength = maxLength;
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
        while (end - start < wanted && end < buffer.length) {
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
}
