package dev.strata.core.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory budget of a chunk store follows the cores: a few chunks per worker, a bounded cache. */
class StoreOptionsTest {
    private static final long MIB = 1 << 20;

    @Test
    void defaults_keepChunksInFlightToAFewPerWorker_andTheCacheSmall_whateverTheHeap() {
        StoreOptions o = StoreOptions.defaults(32 * MIB, 4 * MIB);
        int cores = Runtime.getRuntime().availableProcessors();
        long heapSixteenth = Runtime.getRuntime().maxMemory() / 16;

        assertThat(o.workers()).isEqualTo(cores);
        assertThat(o.inFlightBytes()).isBetween(8 * MIB, Math.max(8 * MIB, 4 * MIB * cores + 8 * MIB));
        assertThat(o.inFlightBytes()).isLessThanOrEqualTo(Math.max(8 * MIB, heapSixteenth));
        assertThat(o.cacheBytes()).isBetween(8 * MIB, 32 * MIB);
    }
}
