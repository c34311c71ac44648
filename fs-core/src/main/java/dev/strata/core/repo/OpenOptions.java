package dev.strata.core.repo;

import dev.strata.core.crypto.KdfParams;
import dev.strata.core.index.LmdbEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

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
 * @param indexSync when to bring the index in line with the packs at open (docs/format.md §9), which
 *                  lists every pack
 * @param cacheWarmUp what to read from the index cache while the key is derived, or {@code null}
 */
public record OpenOptions(Path cacheRoot, LockMode lockMode, int workers, KdfParams kdf, long chunkCacheBytes,
                          LockHolder lockHolder, Duration lockWait, IndexSync indexSync,
                          Consumer<LmdbEnvironment> cacheWarmUp) {
    /** When opening brings the index in line with the packs. */
    public enum IndexSync {
        /** At every open: for commands that store chunks, or read many. */
        ALWAYS,
        /**
         * Only an index that knows no pack yet (a new or deleted cache, built at open, which says at once
         * what it salvaged): for a command that reads a few trees. A built one is brought in line when a
         * chunk is not found ({@code ChunkStore#locate}).
         */
        WHEN_EMPTY,
        /** Never at open: for a command that reads no chunk (listing snapshots). */
        NEVER
    }

    public OpenOptions {
        indexSync = indexSync == null ? IndexSync.ALWAYS : indexSync;
        lockHolder = lockHolder == null ? LockHolder.UNNAMED : lockHolder;
        lockWait = lockWait == null ? Duration.ZERO : lockWait;
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("a negative lock wait: " + lockWait);
        }
    }

    public static OpenOptions of(Path cacheRoot, LockMode mode) {
        return new OpenOptions(cacheRoot, mode, 0, null, 0, LockHolder.UNNAMED, Duration.ZERO, IndexSync.ALWAYS, null);
    }

    public OpenOptions withWorkers(int n) {
        return new OpenOptions(cacheRoot, lockMode, n, kdf, chunkCacheBytes, lockHolder, lockWait, indexSync, cacheWarmUp);
    }

    public OpenOptions withKdf(KdfParams params) {
        return new OpenOptions(cacheRoot, lockMode, workers, params, chunkCacheBytes, lockHolder, lockWait, indexSync, cacheWarmUp);
    }

    /** A smaller chunk cache for a long-lived process whose readers have the kernel's page cache (a mount). */
    public OpenOptions withChunkCacheBytes(long bytes) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, bytes, lockHolder, lockWait, indexSync, cacheWarmUp);
    }

    public OpenOptions withLockHolder(LockHolder holder) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, holder, lockWait, indexSync, cacheWarmUp);
    }

    public OpenOptions withLockWait(Duration wait) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, lockHolder, wait, indexSync, cacheWarmUp);
    }

    /**
     * Leaves the index as it is at open, for a command that reads no chunk: synchronising lists every
     * pack, seconds in a repository of hundreds of thousands of them. A chunk looked up and not found
     * still brings the index up to date then ({@code ChunkStore#locate}).
     */
    public OpenOptions withoutIndexSync() {
        return withIndexSync(IndexSync.NEVER);
    }

    public OpenOptions withIndexSync(IndexSync when) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, lockHolder, lockWait, when, cacheWarmUp);
    }

    /**
     * Runs {@code warmUp} on the index cache on another thread while the key is derived (Argon2id keeps
     * one core busy for a few tenths of a second): what a command will read from the cache is read
     * meanwhile. Only a cache that exists is opened early, and one opened for a password that turns out
     * wrong is closed as found. {@code warmUp} must only read; what it throws is ignored.
     */
    public OpenOptions withCacheWarmUp(Consumer<LmdbEnvironment> warmUp) {
        return new OpenOptions(cacheRoot, lockMode, workers, kdf, chunkCacheBytes, lockHolder, lockWait, indexSync, warmUp);
    }
}
