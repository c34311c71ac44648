package dev.strata.core.tree;

import java.time.Instant;

/** A point in time with nanoseconds, as filesystems keep it. */
public record Timestamp(long seconds, int nanos) implements Comparable<Timestamp> {
    public static final Timestamp EPOCH = new Timestamp(0, 0);

    public Timestamp {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
        }
    }

    public static Timestamp of(Instant i) {
        return new Timestamp(i.getEpochSecond(), i.getNano());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nanos);
    }

    @Override
    public int compareTo(Timestamp o) {
        int c = Long.compare(seconds, o.seconds);
        return c != 0 ? c : Integer.compare(nanos, o.nanos);
    }

    @Override
    public String toString() {
        return toInstant().toString();
    }
}
