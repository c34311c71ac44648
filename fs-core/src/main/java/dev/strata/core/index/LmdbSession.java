package dev.strata.core.index;

import org.lmdbjava.Env;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A single writer over one LMDB environment with group commit: calls run one at a time inside one
 * long write transaction, each call atomic in a nested transaction of its own, and the outer
 * transaction is committed durably when {@link #commit()} is asked for (fsync) or when the commit
 * interval has passed since the first uncommitted change. A crash loses at most the calls of the last
 * interval that nobody committed, never part of a call.
 *
 * <p>A commit that fails (a full disk, an I/O error) takes the calls since the last commit with it:
 * LMDB aborts the transaction. The session then stops, and every later call fails, rather than carry
 * on as if those calls had happened. A session can keep room on the disk for its commits
 * ({@link DiskReserve}), so that a disk filled by file data does not get that far.
 *
 * <p>Each call runs on its caller's thread, holding the session's lock: a call costs no hand-over to
 * another thread and back (two context switches, the larger part of a small call's time on a busy
 * machine). LMDB ties a write transaction to the thread that began it only through its lock file's
 * writer mutex; the environment is therefore opened without it ({@link LmdbEnvironment#openExclusive}),
 * exclusive to this process and to this session, whose lock serializes every transaction in it, so any
 * thread may continue or commit the outer transaction. The timed commit runs on a thread of the
 * session's own. Thread-safe.
 */
public final class LmdbSession implements AutoCloseable {
    private final LmdbEnvironment lmdb;
    private final Duration commitInterval;
    private final DiskReserve reserve;
    /** Held by whichever thread runs a call or a commit. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService timer;
    /** The outer transaction; guarded by the lock. */
    private Txn<byte[]> open;
    /** Guarded by the lock. */
    private boolean commitScheduled;
    /** Whether the reserve may need topping up (after a commit); guarded by the lock. */
    private boolean reserveDue = true;
    /** Written under the lock; volatile for {@link #ensureUsable()}. */
    private volatile boolean closed;
    /** Why the session stopped: a commit failed and its calls are lost. */
    private volatile IOException failed;

    private LmdbSession(LmdbEnvironment lmdb, Duration commitInterval, String name, long reserveBytes) {
        if (!lmdb.exclusive()) {
            throw new IllegalArgumentException("a session needs an environment exclusive to it (LmdbEnvironment"
                    + ".openExclusive): " + lmdb.folder());
        }
        this.lmdb = lmdb;
        this.commitInterval = commitInterval;
        this.reserve = reserveBytes > 0 ? new DiskReserve(lmdb, reserveBytes) : null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.execute(() -> {
            lock.lock();
            try {
                keepReserve();
            } finally {
                lock.unlock();
            }
        });
    }

    /** Starts a session named {@code name} (its timer thread's name) committing at least every {@code commitInterval}. */
    public static LmdbSession start(LmdbEnvironment lmdb, Duration commitInterval, String name) {
        return start(lmdb, commitInterval, name, 0);
    }

    /**
     * The same, keeping {@code reserveBytes} of the disk for the environment's commits (see
     * {@link DiskReserve}).
     */
    public static LmdbSession start(LmdbEnvironment lmdb, Duration commitInterval, String name, long reserveBytes) {
        return new LmdbSession(lmdb, commitInterval, name, reserveBytes);
    }

    /**
     * Runs {@code body} atomically and returns its result, which must not reference LMDB memory. If
     * {@code body} throws, nothing it changed remains. The change is visible to every later call at
     * once and durable after the next commit.
     */
    public <R> R call(Function<LmdbTxn, R> body) throws IOException {
        return call(body, null);
    }

    /**
     * As {@link #call(Function)}, and then, still alone and before any later call, {@code committed}
     * once the call's nested transaction has committed: for a cache of what the environment holds,
     * which must take a call's changes only when they are there.
     */
    public <R> R call(Function<LmdbTxn, R> body, Runnable committed) throws IOException {
        lock.lock();
        try {
            while (true) {
                checkUsable();
                Lock shared = lmdb.gate().readLock();
                shared.lock();
                try {
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
                    }
                } finally {
                    shared.unlock();
                }
                keepReserve();
                // No transaction is live (the outer one was just committed): the map may grow.
                lmdb.grow();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs a body that only reads, seeing every earlier call. */
    public <R> R read(Function<LmdbTxn, R> body) throws IOException {
        lock.lock();
        try {
            checkUsable();
            if (open == null) {
                // Still alone: without the lock file's reader table, a write meanwhile could reuse its pages.
                return lmdb.read(txn -> body.apply(new LmdbTxn(txn)));
            }
            Lock shared = lmdb.gate().readLock();
            shared.lock();
            try {
                return body.apply(new LmdbTxn(open));
            } finally {
                shared.unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes every earlier call durable before returning. */
    public void commit() throws IOException {
        lock.lock();
        try {
            checkUsable();
            commitHeld();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails as every call would now: when the session is closed, or stopped because a commit failed.
     * Thread-safe; for answers given without a call (a cache), which must not outlive lost changes.
     */
    public void ensureUsable() throws IOException {
        checkUsable();
    }

    private Txn<byte[]> outer() {
        if (open == null) {
            open = lmdb.env().txnWrite();
        }
        return open;
    }

    private void scheduleCommit() {
        if (!commitScheduled) {
            commitScheduled = true;
            timer.schedule(this::timedCommit, commitInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void timedCommit() {
        lock.lock();
        try {
            if (!closed && failed == null) {
                commitHeld();
            }
        } catch (IOException e) {
            // Kept in `failed`: the next call reports it.
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("the LMDB session on " + lmdb.folder() + " is closed");
        }
        IOException f = failed;
        if (f != null) {
            throw new IOException(f.getMessage(), f);
        }
    }

    /** Commits the outer transaction, then keeps the reserve; the caller holds the lock. */
    private void commitHeld() throws IOException {
        Lock shared = lmdb.gate().readLock();
        shared.lock();
        try {
            commitOpen();
        } finally {
            shared.unlock();
        }
        keepReserve();
    }

    /** The caller holds the lock and the gate shared. */
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
            reserveDue = true;
        }
    }

    /** Keeps the reserve; the caller holds the lock but not the gate. */
    private void keepReserve() {
        // With no transaction live, nothing writes past the data file's end meanwhile (LMDB may write
        // pages of an open transaction early, when its dirty list is full).
        if (reserve == null || !reserveDue || open != null || closed) {
            return;
        }
        reserveDue = false;
        if (!reserve.isLow(lmdb.usedBytes())) {
            return;
        }
        lmdb.gate().writeLock().lock();
        try {
            reserve.topUp(lmdb.usedBytes());
        } finally {
            lmdb.gate().writeLock().unlock();
        }
    }

    /** Commits what is pending and stops the timer. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                commitHeld();
            } finally {
                closed = true;
                timer.shutdownNow();
            }
        } finally {
            lock.unlock();
        }
    }
}
