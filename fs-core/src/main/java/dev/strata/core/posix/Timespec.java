package dev.strata.core.posix;

import java.time.Instant;

/**
 * A point in time as the kernel stores it: seconds since the epoch and nanoseconds within the
 * second. Immutable and thread-safe.
 *
 * @param seconds seconds since 1970-01-01T00:00:00Z, negative before it
 * @param nanos nanoseconds within the second, 0 to 999,999,999
 */
public record Timespec(long seconds, int nanos) {
    public Timespec {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanos out of range: " + nanos);
        }
    }

    public static Timespec of(Instant instant) {
        return new Timespec(instant.getEpochSecond(), instant.getNano());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
