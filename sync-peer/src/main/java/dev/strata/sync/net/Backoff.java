package dev.strata.sync.net;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before dialling a peer again: doubling from the first wait up to the longest after
 * each failure in a row, each wait shortened by up to a fifth at random so that devices restarted
 * together do not dial in step. Confined to one thread.
 */
final class Backoff {
    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration first, Duration max, RandomGenerator random) {
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** The wait after one more failure. */
    Duration next() {
        long base = first.toMillis() << Math.min(failures, 20);
        failures++;
        long capped = Math.min(base, max.toMillis());
        long jitter = capped / 5 == 0 ? 0 : random.nextLong(capped / 5 + 1);
        return Duration.ofMillis(capped - jitter);
    }

    /** A connection came up: the next failure starts from the first wait again. */
    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
