package dev.strata.core.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool of the put pipeline: chunk bytes are handed to it by the threads that read and
 * chunk, and the bytes of chunks in flight are bounded, so a fast reader waits instead of filling
 * memory. Thread-safe.
 */
final class PutPipeline implements AutoCloseable {
    private final ExecutorService workers;
    private final Semaphore budget;
    private final int budgetBytes;

    PutPipeline(int threads, long inFlightBytes) {
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "strata-put-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.budgetBytes = (int) Math.min(Integer.MAX_VALUE, inFlightBytes);
        this.budget = new Semaphore(budgetBytes);
    }

    /** Runs {@code work} on a worker once {@code bytes} fit in the in-flight budget. */
    <T> Future<T> submit(int bytes, Callable<T> work) throws IOException {
        int permits = Math.min(bytes, budgetBytes);
        try {
            budget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the put pipeline");
        }
        try {
            return workers.submit(() -> {
                try {
                    return work.call();
                } finally {
                    budget.release(permits);
                }
            });
        } catch (RuntimeException rejected) {
            budget.release(permits);
            throw rejected;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
