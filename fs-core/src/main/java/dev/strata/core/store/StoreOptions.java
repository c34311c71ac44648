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
     * One worker per core, the given pack sizes, and chunks in flight and a chunk cache of up to
     * 48 and 64 MiB, each at most a sixteenth of the heap, so the footprint stays small and a small
     * heap never runs out. (Two cores keep a few 1 MiB chunks busy; the page cache does the rest.)
     */
    public static StoreOptions defaults(long dataPackSize, long treePackSize) {
        long sixteenth = Runtime.getRuntime().maxMemory() / 16;
        return new StoreOptions(Runtime.getRuntime().availableProcessors(), clamp(sixteenth, 16L << 20, 48L << 20),
                dataPackSize, treePackSize, clamp(sixteenth, 8L << 20, 64L << 20));
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
