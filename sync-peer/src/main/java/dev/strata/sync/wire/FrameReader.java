package dev.strata.sync.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a stream, checking each length against a bound before allocating its payload,
 * so a peer cannot make this side reserve memory by announcing a large frame. Confined to one thread.
 */
public final class FrameReader {
    private final InputStream in;
    private volatile int limit;

    /** @param limit the largest length field accepted (type byte and payload) */
    /** Frame bytes read; changed by the one reading thread, read by anyone. */
    private volatile long read;

    public FrameReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** Changes the bound for the frames that follow (small until the hello, larger after). */
    public void limit(int newLimit) {
        this.limit = newLimit;
    }

    /** Bytes of the frames read so far (inside TLS: its own few bytes per record are not counted). */
    public long bytesRead() {
        return read;
    }

    /**
     * The next frame, or null when the stream ends cleanly between frames. A stream that ends inside a
     * frame, a length of 0 or beyond the bound, and an unknown type are {@link FrameException}s.
     */
    public Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = new byte[3];
        readFully(rest, "its length");
        long length = ((long) first << 24) | ((rest[0] & 0xFFL) << 16) | ((rest[1] & 0xFFL) << 8) | (rest[2] & 0xFFL);
        if (length == 0) {
            throw new FrameException("a frame of length 0 (a frame holds at least its type)");
        }
        if (length > limit) {
            throw new FrameException("a frame of " + length + " bytes, more than the " + limit + " allowed here");
        }
        int code = in.read();
        if (code < 0) {
            throw new FrameException("the connection ended inside a frame (before its type)");
        }
        MessageType type = MessageType.of(code);
        byte[] payload = new byte[(int) length - 1];
        readFully(payload, "a " + type + " frame of " + length + " bytes");
        read += 4 + length;
        return new Frame(type, payload);
    }

    private void readFully(byte[] buf, String what) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new FrameException("the connection ended inside " + what + " (" + n + " of " + buf.length + " bytes came)");
            }
            n += r;
        }
    }
}
