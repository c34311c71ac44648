package dev.strata.core.store;

/**
 * Tuning of a chunk store: worker threads, the bytes of chunks in flight at once, target pack sizes
 * and the decoded-chunk cache.
 */
public record StoreOptions(int workers, long inFlightBytes, long dataPackSize, long treePackSize, long cacheBytes) {
    public StoreOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker, got " + workers);
        }
        if (inFlightBytes < 1 << 20 || dataPackSize < 1 << 16 || treePackSize < 1 << 16 || cacheBytes < 0) {
            throw new IllegalArgumentException("store sizes too small: " + this);
        }
    }

    /** One worker per core, 64 MiB in flight, the given pack sizes, a 128 MiB chunk cache. */
    public static StoreOptions defaults(long dataPackSize, long treePackSize) {
        return new StoreOptions(Runtime.getRuntime().availableProcessors(), 64L << 20, dataPackSize, treePackSize, 128L << 20);
    }

    public StoreOptions withWorkers(int n) {
        return new StoreOptions(n, inFlightBytes, dataPackSize, treePackSize, cacheBytes);
    }

    public StoreOptions withCacheBytes(long bytes) {
        return new StoreOptions(workers, inFlightBytes, dataPackSize, treePackSize, bytes);
    }
}
