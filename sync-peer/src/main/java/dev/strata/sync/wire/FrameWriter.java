package dev.strata.sync.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a stream, one whole frame at a time, and flushes each. Thread-safe: writers take
 * turns, so frames from several threads never interleave. Records when the write in progress began,
 * so that a watchdog can end a connection whose peer stopped reading.
 */
public final class FrameWriter {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long writingSinceNanos;
    private volatile long lastWriteNanos = System.nanoTime();

    /** Frame bytes written; changed under the lock, read by anyone. */
    private volatile long written;

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), null);
    }

    /**
     * Writes the frame unless another write holds the stream for longer than {@code millis} (a goodbye
     * to a peer that stopped reading must not wait for ever); returns whether it was written.
     */
    public boolean tryWrite(Frame frame, long millis) throws IOException {
        try {
            if (!lock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            writeLocked(frame.type(), frame.payload(), null);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Writes a frame whose payload is {@code head} followed by {@code tail} (a chunk's bytes, uncopied). */
    public void write(MessageType type, byte[] head, byte[] tail) throws IOException {
        lock.lock();
        try {
            writeLocked(type, head, tail);
        } finally {
            lock.unlock();
        }
    }

    private void writeLocked(MessageType type, byte[] head, byte[] tail) throws IOException {
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
            written += 4 + length;
        } finally {
            writingSinceNanos = 0;
            lastWriteNanos = System.nanoTime();
        }
    }

    /** Bytes of the frames written so far (inside TLS: its own few bytes per record are not counted). */
    public long bytesWritten() {
        return written;
    }

    /** When the last write ended ({@link System#nanoTime()}). */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** When the write in progress began ({@link System#nanoTime()}), or 0 if none is. */
    public long writingSinceNanos() {
        return writingSinceNanos;
    }
}
