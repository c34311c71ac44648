package dev.strata.core.index;

import org.lmdbjava.Env;
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
 * <p>A commit that fails (a full disk, an I/O error) takes the calls since the last commit with it:
 * LMDB aborts the transaction. The session then stops, and every later call fails, rather than carry
 * on as if those calls had happened. A session can keep room on the disk for its commits
 * ({@link DiskReserve}), so that a disk filled by file data does not get that far.
 *
 * <p>LMDB lets only the thread that began a write transaction commit it, hence the one thread.
 * Thread-safe: callers on any thread wait for their call's result.
 */
public final class LmdbSession implements AutoCloseable {
    private final LmdbEnvironment lmdb;
    private final Duration commitInterval;
    private final DiskReserve reserve;
    private final ScheduledExecutorService thread;
    private Txn<byte[]> open;
    private boolean commitScheduled;
    /** Written on the session thread; volatile for {@link #ensureUsable()}. */
    private volatile boolean closed;
    /** Why the session stopped: a commit failed and its calls are lost. */
    private volatile IOException failed;

    private LmdbSession(LmdbEnvironment lmdb, Duration commitInterval, String name, long reserveBytes) {
        this.lmdb = lmdb;
        this.commitInterval = commitInterval;
        this.reserve = reserveBytes > 0 ? new DiskReserve(lmdb, reserveBytes) : null;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::topUpReserve);
    }

    /** Starts a session named {@code name} (its thread's name) committing at least every {@code commitInterval}. */
    public static LmdbSession start(LmdbEnvironment lmdb, Duration commitInterval, String name) {
        return start(lmdb, commitInterval, name, 0);
    }

    /**
     * The same, keeping {@code reserveBytes} of the disk for the environment's commits (see
     * {@link DiskReserve}); no other process may write to the environment.
     */
    public static LmdbSession start(LmdbEnvironment lmdb, Duration commitInterval, String name, long reserveBytes) {
        return new LmdbSession(lmdb, commitInterval, name, reserveBytes);
    }

    /**
     * Runs {@code body} atomically on the session thread and returns its result, which must not
     * reference LMDB memory. If {@code body} throws, nothing it changed remains. The change is visible
     * to every later call at once and durable after the next commit.
     */
    public <R> R call(Function<LmdbTxn, R> body) throws IOException {
        return await(thread.submit(() -> runNested(body, null)));
    }

    /**
     * As {@link #call(Function)}, and then, still on the session thread and before any later call,
     * {@code committed} once the call's nested transaction has committed: for a cache of what the
     * environment holds, which must take a call's changes only when they are there.
     */
    public <R> R call(Function<LmdbTxn, R> body, Runnable committed) throws IOException {
        return await(thread.submit(() -> runNested(body, committed)));
    }

    /** Runs a body that only reads, on the session thread, seeing every earlier call. */
    public <R> R read(Function<LmdbTxn, R> body) throws IOException {
        return await(thread.submit(() -> {
            checkUsable();
            if (open != null) {
                return body.apply(new LmdbTxn(open));
            }
            return lmdb.read(txn -> body.apply(new LmdbTxn(txn)));
        }));
    }

    /** Makes every earlier call durable before returning. */
    public void commit() throws IOException {
        await(thread.submit(() -> {
            checkUsable();
            commitOpen();
            return null;
        }));
    }

    /**
     * Fails as every call would now: when the session is closed, or stopped because a commit failed.
     * Thread-safe; for answers given without a call (a cache), which must not outlive lost changes.
     */
    public void ensureUsable() throws IOException {
        if (closed) {
            throw new IOException("the LMDB session on " + lmdb.folder() + " is closed");
        }
        checkUsable();
    }

    private <R> R runNested(Function<LmdbTxn, R> body, Runnable committed) throws IOException {
        checkUsable();
        while (true) {
            Txn<byte[]> outer = outer();
            try (Txn<byte[]> nested = lmdb.env().txn(outer)) {
                R result = body.apply(new LmdbTxn(nested));
                nested.commit();
                if (committed != null) {
                    committed.run();
                }
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
            // A failure is kept in `failed`: the next call reports it.
            thread.schedule(() -> {
                commitOpen();
                return null;
            }, commitInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("the LMDB session on " + lmdb.folder() + " is closed");
        }
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    private void commitOpen() throws IOException {
        commitScheduled = false;
        if (open == null) {
            return;
        }
        try {
            open.commit();
        } catch (RuntimeException e) {
            failed = new IOException("committing " + lmdb.folder() + " failed (" + e.getMessage()
                    + "): the changes since its last commit are lost, and it takes no more until reopened", e);
            throw failed;
        } finally {
            open.close();
            open = null;
            lmdb.gate().readLock().unlock();
        }
        topUpReserve();
    }

    /** Keeps the reserve; runs on the session thread with no transaction of the session open. */
    private void topUpReserve() {
        if (reserve == null || closed || !reserve.isLow(lmdb.usedBytes())) {
            return;
        }
        // With no transaction live in this process, nothing writes past the data file's end meanwhile.
        lmdb.gate().writeLock().lock();
        try {
            reserve.topUp(lmdb.usedBytes());
        } finally {
            lmdb.gate().writeLock().unlock();
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
            if (c instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
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
        } finally {
            thread.shutdown();
        }
    }
}
