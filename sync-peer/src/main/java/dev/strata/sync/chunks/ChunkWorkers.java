package dev.strata.sync.chunks;

import java.io.InterruptedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that verify and store the chunks one connection receives, so that its reader goes on
 * reading (and TLS decrypting) while earlier chunks are decoded, hashed and stored: at most
 * {@link #THREADS} at once, and at most a bounded number of bytes of chunks taken and not yet done —
 * the reader waits for room, so a sender faster than this device is held back by TCP, and memory stays
 * bounded however much is sent. Threads start on first use and end when idle. Thread-safe.
 */
final class ChunkWorkers implements AutoCloseable {
    /** Decoding and hashing are CPU work: two threads use two cores and leave the reader its share. */
    static final int THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    /** Bytes of chunks in flight, by default: their wire form and their plaintext. */
    static final int MAX_BYTES_IN_FLIGHT = 64 << 20;

    private final int maxBytes;
    private final Semaphore room;
    private final ThreadPoolExecutor pool;

    ChunkWorkers(String name, int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("bytes in flight " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.room = new Semaphore(maxBytes);
        // The queue needs no bound of its own: the bytes in flight bound it.
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code job}, which holds about {@code bytes} of memory until it is done, once there is room for
     * it (a job larger than the whole room waits until nothing else is in flight). Waits for that room.
     */
    void submit(long bytes, Runnable job) throws InterruptedIOException {
        int permits = (int) Math.min(maxBytes, Math.max(0, bytes));
        try {
            room.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for room for a received chunk");
        }
        try {
            pool.execute(() -> {
                try {
                    job.run();
                } finally {
                    room.release(permits);
                }
            });
        } catch (RuntimeException e) {
            room.release(permits);
            throw e;
        }
    }

    /** Bytes of chunks taken and not yet done. */
    long inFlight() {
        return maxBytes - room.availablePermits();
    }

    /**
     * Drops the jobs not started; those running finish (not interrupted: an interrupt would close the
     * store's open files under it). Idempotent.
     */
    @Override
    public void close() {
        pool.getQueue().clear();
        pool.shutdown();
    }
}
