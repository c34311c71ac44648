package dev.strata.core.repo;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.RepositoryLockedException;
import dev.strata.core.id.Hex;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lock this process holds on a repository: written as a blob, checked against every other live
 * lock, refreshed in the background and deleted on close. Thread-safe.
 */
public final class RepositoryLock implements AutoCloseable {
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);
    private static final SecureRandom JITTER = new SecureRandom();

    private final Backend backend;
    private final MasterKey key;
    private final Clock clock;
    private final BlobName name;
    private final ScheduledExecutorService refresher;
    private volatile LockRecord record;
    private boolean closed;

    private RepositoryLock(Backend backend, MasterKey key, Clock clock, BlobName name, LockRecord record) {
        this.backend = backend;
        this.key = key;
        this.clock = clock;
        this.name = name;
        this.record = record;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = LockRecord.REFRESH_EVERY.toSeconds();
        refresher.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.SECONDS);
    }

    /**
     * Takes a lock of {@code mode}, or fails with {@link RepositoryLockedException} naming the holder
     * of a conflicting one. Stale locks are ignored.
     */
    public static RepositoryLock acquire(Backend backend, MasterKey key, LockMode mode, HostIdentity me, Clock clock)
            throws IOException {
        return acquire(backend, key, mode, me, clock, LockHolder.UNNAMED, Duration.ZERO);
    }

    /**
     * Takes a lock of {@code mode} for {@code holder}, trying again with growing pauses while a
     * conflicting lock is held, for at most {@code wait}; then fails with
     * {@link RepositoryLockedException} naming the holder of the conflicting lock.
     */
    public static RepositoryLock acquire(Backend backend, MasterKey key, LockMode mode, HostIdentity me, Clock clock,
                                         LockHolder holder, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = FIRST_PAUSE.toMillis();
        while (true) {
            try {
                return tryAcquire(backend, key, mode, me, clock, holder);
            } catch (RepositoryLockedException e) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    if (wait.isZero()) {
                        throw e;
                    }
                    throw new RepositoryLockedException(e.getMessage() + " (still locked after waiting " + wait + ")");
                }
                // Jitter, so that two processes waiting for each other do not retry in step forever.
                long jittered = pauseMillis / 2 + JITTER.nextLong(pauseMillis / 2 + 1);
                sleep(Math.min(leftMillis, jittered));
                pauseMillis = Math.min(pauseMillis * 2, LONGEST_PAUSE.toMillis());
            }
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a repository lock");
        }
    }

    private static RepositoryLock tryAcquire(Backend backend, MasterKey key, LockMode mode, HostIdentity me, Clock clock,
                                             LockHolder holder) throws IOException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        BlobName name = BlobName.of(BlobType.LOCK, Hex.encode(id));
        LockRecord mine = new LockRecord(mode, me.host(), me.pid(), me.user(), clock.instant(), clock.instant(), holder);
        backend.put(name, mine.seal(key));
        try {
            for (Held other : list(backend, key)) {
                if (other.name().equals(name)) {
                    continue;
                }
                if (other.record() == null) {
                    throw new RepositoryLockedException("repository " + backend.location() + " has a damaged lock "
                            + other.name().name() + "; if no other Strata is running, remove it with 'strata unlock'");
                }
                if (other.record().isStale(me.host(), clock.instant()) || !mode.conflictsWith(other.record().mode())) {
                    continue;
                }
                throw new RepositoryLockedException("repository " + backend.location() + " is in use: "
                        + other.record().describe() + "; " + other.record().advice(me.host()));
            }
        } catch (IOException | RuntimeException e) {
            backend.delete(name);
            throw e;
        }
        return new RepositoryLock(backend, key, clock, name, mine);
    }

    /** A lock blob and what it says ({@code record} null when it cannot be read). */
    public record Held(BlobName name, LockRecord record) {
    }

    /** Every lock in the repository. */
    public static List<Held> list(Backend backend, MasterKey key) throws IOException {
        List<Held> out = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.LOCK)) {
            try {
                out.add(new Held(info.name(), LockRecord.open(backend.get(info.name()), key, info.name().name())));
            } catch (NoSuchFileException released) {
                // released between listing and reading
            } catch (CorruptDataException damaged) {
                out.add(new Held(info.name(), null));
            }
        }
        return out;
    }

    public LockMode mode() {
        return record.mode();
    }

    public BlobName name() {
        return name;
    }

    /**
     * Says in the lock, at once, that this process knows the condemnations {@code ids}
     * (docs/format.md §7.1): it refers to no chunk only their packs hold, outside snapshots and leases.
     */
    public synchronized void acknowledge(Set<String> ids) throws IOException {
        if (closed || ids.equals(record.knows())) {
            return;
        }
        LockRecord next = record.knowing(ids, clock.instant());
        backend.put(name, next.seal(key));
        record = next;
    }

    private synchronized void refresh() {
        if (closed) {
            return;
        }
        try {
            LockRecord next = record.refreshedAt(clock.instant());
            backend.put(name, next.seal(key));
            record = next;
        } catch (IOException | RuntimeException e) {
            // Retried at the next tick; a lock missing its refresh for 30 minutes becomes stale.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        refresher.shutdownNow();
        backend.delete(name);
    }
}
