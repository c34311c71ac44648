package dev.strata.core.repo;

import dev.strata.core.crypto.KdfParams;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a repository.
 *
 * @param cacheRoot the cache folder (the index goes in {@code <cacheRoot>/<repository id>/})
 * @param lockMode  the lock to take, or {@code null} for none
 * @param workers   put-pipeline threads, 0 for one per core
 * @param kdf       Argon2id cost for key files written through this handle, {@code null} to calibrate
 * @param chunkCacheBytes decoded chunks kept in memory, 0 for the default
 * @param lockHolder what takes the lock, shown to processes it keeps out
 * @param lockWait  how long to keep trying while a conflicting lock is held; zero fails at once
 */
public record OpenOptions(Path cacheRoot, LockMode lockMode, int workers, KdfParams kdf, long chunkCacheBytes,
                          LockHolder lockHolder, Duration lockWait) {
    public OpenOptions {
        lockHolder = lockHolder == null ? LockHolder.UNNAMED : lockHolder;
        lockWait = lockWait == null ? Duration.ZERO : lockWait;
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("a negative lock wait: " + lockWait);
        }
    }

    public static OpenOptions of(Path cacheRoot, LockMode mode) {
        return new OpenOptions(cacheRoot, mode, 0, null, 0, LockHolder.UNNAMED, Duration.ZERO);
    }

    public OpenOptions withWorkers(int n) {
        return new OpenOptions(cacheRoot, lockMode, n, kdf, chunkCacheBytes, lockHolder, lockWait);
    }

    public OpenOptions withKdf(KdfParams params) {
        return new OpenOptions(cacheRoot, lockMode, workers, params, chunkCacheBytes, lockHolder, lockWait);
    }

    /** A smaller chunk cache for a long-lived process whose readers have the kernel's page cache (a mount). */
    public OpenOptions withChunkCacheBytes(long bytes) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, bytes, lockHolder, lockWait);
    }

    public OpenOptions withLockHolder(LockHolder holder) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, holder, lockWait);
    }

    public OpenOptions withLockWait(Duration wait) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, lockHolder, wait);
    }
}
