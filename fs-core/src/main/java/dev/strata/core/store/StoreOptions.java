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

    /**
     * One worker per core, the given pack sizes, chunks in flight of 4 MiB per worker plus one
     * largest chunk (8 MiB), and a chunk cache of up to 32 MiB, each at most a sixteenth of the heap.
     * The budget follows the cores, not the heap: each worker needs a chunk or two queued to stay
     * busy, and every byte more in flight outlives the young generation, is promoted and grows the
     * heap until a full collection (a 1 GB backup grew the heap to 450 MB with 48 MiB in flight,
     * with 38 MB live after a full collection).
     */
    public static StoreOptions defaults(long dataPackSize, long treePackSize) {
        long sixteenth = Runtime.getRuntime().maxMemory() / 16;
        int workers = Runtime.getRuntime().availableProcessors();
        long inFlight = clamp(sixteenth, 8L << 20, (4L << 20) * workers + (8L << 20));
        return new StoreOptions(workers, inFlight, dataPackSize, treePackSize, clamp(sixteenth, 8L << 20, 32L << 20));
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    public StoreOptions withWorkers(int n) {
        return new StoreOptions(n, inFlightBytes, dataPackSize, treePackSize, cacheBytes);
    }

    public StoreOptions withCacheBytes(long bytes) {
        return new StoreOptions(workers, inFlightBytes, dataPackSize, treePackSize, bytes);
    }
}
