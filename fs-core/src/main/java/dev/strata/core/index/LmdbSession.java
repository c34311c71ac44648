package dev.strata.core.index;

import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A single writer over one LMDB environment with group commit: every call runs on the session's own
 * thread inside one long write transaction, each call atomic in a nested transaction of its own, and
 * the outer transaction is committed durably when {@link #commit()} is asked for (fsync) or when the
 * commit interval has passed since the first uncommitted change. A crash loses at most the calls of
 * the last interval that nobody committed, never part of a call.
 *
 * <p>LMDB lets only the thread that began a write transaction commit it, hence the one thread.
 * Thread-safe: callers on any thread wait for their call's result.
 */
public final class LmdbSession implements AutoCloseable {
    private final LmdbEnvironment lmdb;
    private final Duration commitInterval;
    private final ScheduledExecutorService thread;
    private Txn<byte[]> open;
    private boolean commitScheduled;
    private boolean closed;

    private LmdbSession(LmdbEnvironment lmdb, Duration commitInterval, String name) {
        this.lmdb = lmdb;
        this.commitInterval = commitInterval;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a session named {@code name} (its thread's name) committing at least every {@code commitInterval}. */
    public static LmdbSession start(LmdbEnvironment lmdb, Duration commitInterval, String name) {
        return new LmdbSession(lmdb, commitInterval, name);
    }

    /**
     * Runs {@code body} atomically on the session thread and returns its result, which must not
     * reference LMDB memory. If {@code body} throws, nothing it changed remains. The change is visible
     * to every later call at once and durable after the next commit.
     */
    public <R> R call(Function<LmdbTxn, R> body) throws IOException {
        return await(thread.submit(() -> runNested(body)));
    }

    /** Runs a body that only reads, on the session thread, seeing every earlier call. */
    public <R> R read(Function<LmdbTxn, R> body) throws IOException {
        return await(thread.submit(() -> {
            if (closed) {
                throw new IllegalStateException("the LMDB session on " + lmdb.folder() + " is closed");
            }
            if (open != null) {
                return body.apply(new LmdbTxn(open));
            }
            return lmdb.read(txn -> body.apply(new LmdbTxn(txn)));
        }));
    }

    /** Makes every earlier call durable before returning. */
    public void commit() throws IOException {
        await(thread.submit(() -> {
            commitOpen();
            return null;
        }));
    }

    private <R> R runNested(Function<LmdbTxn, R> body) {
        if (closed) {
            throw new IllegalStateException("the LMDB session on " + lmdb.folder() + " is closed");
        }
        while (true) {
            Txn<byte[]> outer = outer();
            try (Txn<byte[]> nested = lmdb.env().txn(outer)) {
                R result = body.apply(new LmdbTxn(nested));
                nested.commit();
                scheduleCommit();
                return result;
            } catch (Env.MapFullException full) {
                // The nested change is gone; what came before it is whole. Commit that, grow, retry.
                commitOpen();
                lmdb.grow();
            }
        }
    }

    private Txn<byte[]> outer() {
        if (open == null) {
            lmdb.gate().readLock().lock();
            try {
                open = lmdb.env().txnWrite();
            } catch (RuntimeException e) {
                lmdb.gate().readLock().unlock();
                throw e;
            }
        }
        return open;
    }

    private void scheduleCommit() {
        if (!commitScheduled) {
            commitScheduled = true;
            thread.schedule(this::commitOpen, commitInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void commitOpen() {
        commitScheduled = false;
        if (open == null) {
            return;
        }
        try {
            open.commit();
        } finally {
            open.close();
            open = null;
            lmdb.gate().readLock().unlock();
        }
    }

    private <R> R await(java.util.concurrent.Future<R> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the LMDB session");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IOException("the LMDB session on " + lmdb.folder() + " is closed", e);
        }
    }

    /** Commits what is pending and stops the session thread. Idempotent. */
    @Override
    public void close() throws IOException {
        if (thread.isShutdown()) {
            return;
        }
        try {
            await(thread.submit(() -> {
                commitOpen();
                closed = true;
                return null;
            }));
        } catch (LmdbException e) {
            throw new IOException("commit on close of " + lmdb.folder() + ": " + e.getMessage(), e);
        } finally {
            thread.shutdown();
        }
    }
}
