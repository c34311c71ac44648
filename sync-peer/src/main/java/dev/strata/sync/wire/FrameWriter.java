package dev.strata.sync.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes frames to a stream, one whole frame at a time, and flushes each. Thread-safe: writers take
 * turns, so frames from several threads never interleave. Records when the write in progress began,
 * so that a watchdog can end a connection whose peer stopped reading.
 */
public final class FrameWriter {
    private final OutputStream out;
    private volatile long writingSinceNanos;

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public synchronized void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), null);
    }

    /** Writes a frame whose payload is {@code head} followed by {@code tail} (a chunk's bytes, uncopied). */
    public synchronized void write(MessageType type, byte[] head, byte[] tail) throws IOException {
        long length = 1L + head.length + (tail == null ? 0 : tail.length);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a frame of " + length + " bytes");
        }
        byte[] header = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type.code()};
        writingSinceNanos = System.nanoTime();
        try {
            out.write(header);
            out.write(head);
            if (tail != null) {
                out.write(tail);
            }
            out.flush();
        } finally {
            writingSinceNanos = 0;
        }
    }

    /** When the write in progress began ({@link System#nanoTime()}), or 0 if none is. */
    public long writingSinceNanos() {
        return writingSinceNanos;
    }
}
