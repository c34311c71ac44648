package dev.strata.volume.state;

import java.util.Arrays;

/**
 * A version vector: for each device that changed a path, the counter of its latest change there.
 * Devices are named by their short id (the first 8 bytes of the device ID); counters only grow.
 * Immutable; entries are kept sorted by device so that equal vectors are equal arrays.
 */
public final class VersionVector {
    /** The vector of a path no device changed. */
    public static final VersionVector EMPTY = new VersionVector(new long[0], new long[0]);

    /** How two vectors relate. */
    public enum Order { EQUAL, BEFORE, AFTER, CONCURRENT }

    private final long[] devices;
    private final long[] counters;

    private VersionVector(long[] devices, long[] counters) {
        this.devices = devices;
        this.counters = counters;
    }

    /** A vector from parallel arrays of devices (distinct, any order) and counters (positive). */
    public static VersionVector of(long[] devices, long[] counters) {
        if (devices.length != counters.length) {
            throw new IllegalArgumentException("a vector has as many counters as devices");
        }
        Integer[] order = new Integer[devices.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(devices[a], devices[b]));
        long[] d = new long[devices.length];
        long[] c = new long[devices.length];
        for (int i = 0; i < order.length; i++) {
            d[i] = devices[order[i]];
            c[i] = counters[order[i]];
            if (c[i] <= 0) {
                throw new IllegalArgumentException("a vector's counters are positive, got " + c[i]);
            }
            if (i > 0 && d[i] == d[i - 1]) {
                throw new IllegalArgumentException("device " + Long.toHexString(d[i]) + " is twice in a vector");
            }
        }
        return new VersionVector(d, c);
    }

    public int size() {
        return devices.length;
    }

    public long device(int i) {
        return devices[i];
    }

    public long counter(int i) {
        return counters[i];
    }

    /** The counter of {@code device}, 0 if it never changed the path. */
    public long counterOf(long device) {
        int i = indexOf(device);
        return i < 0 ? 0 : counters[i];
    }

    /** This vector with {@code device}'s counter set to {@code counter}, which must be larger than any in it. */
    public VersionVector bump(long device, long counter) {
        if (counter <= counterOf(device)) {
            throw new IllegalArgumentException("a counter only grows: " + counter + " after " + counterOf(device));
        }
        int i = indexOf(device);
        if (i >= 0) {
            long[] c = counters.clone();
            c[i] = counter;
            return new VersionVector(devices, c);
        }
        int at = -i - 1;
        long[] d = new long[devices.length + 1];
        long[] c = new long[devices.length + 1];
        System.arraycopy(devices, 0, d, 0, at);
        System.arraycopy(counters, 0, c, 0, at);
        d[at] = device;
        c[at] = counter;
        System.arraycopy(devices, at, d, at + 1, devices.length - at);
        System.arraycopy(counters, at, c, at + 1, devices.length - at);
        return new VersionVector(d, c);
    }

    /** The smallest vector that both this and {@code other} are at or before: each device's larger counter. */
    public VersionVector merge(VersionVector other) {
        VersionVector out = this;
        for (int i = 0; i < other.devices.length; i++) {
            if (other.counters[i] > out.counterOf(other.devices[i])) {
                out = out.bump(other.devices[i], other.counters[i]);
            }
        }
        return out;
    }

    /** How this vector relates to {@code other}: AFTER when it saw everything {@code other} saw and more. */
    public Order compare(VersionVector other) {
        boolean ahead = false;
        boolean behind = false;
        for (int i = 0; i < devices.length; i++) {
            long theirs = other.counterOf(devices[i]);
            ahead |= counters[i] > theirs;
            behind |= counters[i] < theirs;
        }
        for (int i = 0; i < other.devices.length; i++) {
            behind |= indexOf(other.devices[i]) < 0;
        }
        if (ahead && behind) {
            return Order.CONCURRENT;
        }
        return ahead ? Order.AFTER : behind ? Order.BEFORE : Order.EQUAL;
    }

    private int indexOf(long device) {
        int lo = 0;
        int hi = devices.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(devices[mid], device);
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -lo - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(devices, v.devices) && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(devices) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < devices.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("%016x", devices[i])).append(':').append(counters[i]);
        }
        return s.append('}').toString();
    }
}
