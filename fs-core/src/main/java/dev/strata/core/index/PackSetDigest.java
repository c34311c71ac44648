package dev.strata.core.index;

import dev.strata.core.id.PackId;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An order-independent digest of a set of packs, each with its size (docs/format.md §9): the count,
 * and the sum, lane by lane modulo 2^64, of SHA-256(pack id ‖ u64 size) over the set. Adding and
 * removing a pack updates it without the others, so the index keeps it beside its pack records and a
 * listing of the packs can be compared with them without reading them. Confined to one thread.
 */
public final class PackSetDigest {
    static final int BYTES = 8 + 32;

    private final MessageDigest sha256;
    private final byte[] term = new byte[PackId.LENGTH + 8];
    private long count;
    private final long[] lanes = new long[4];

    public PackSetDigest() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Reads a digest as {@link #bytes()} wrote it; null when the value is not one. */
    static PackSetDigest parse(byte[] value) {
        if (value == null || value.length != BYTES) {
            return null;
        }
        PackSetDigest d = new PackSetDigest();
        ByteBuffer b = ByteBuffer.wrap(value);
        d.count = b.getLong();
        for (int i = 0; i < 4; i++) {
            d.lanes[i] = b.getLong();
        }
        return d;
    }

    public void add(PackId id, long size) {
        step(id, size, 1);
    }

    public void remove(PackId id, long size) {
        step(id, size, -1);
    }

    private void step(PackId id, long size, int sign) {
        id.copyTo(term, 0);
        ByteBuffer.wrap(term, PackId.LENGTH, 8).putLong(size);
        ByteBuffer h = ByteBuffer.wrap(sha256.digest(term));
        for (int i = 0; i < 4; i++) {
            lanes[i] += sign * h.getLong();
        }
        count += sign;
    }

    /** How many packs the set holds. */
    public long count() {
        return count;
    }

    /** u64 count ‖ four u64 lanes, big-endian. */
    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).putLong(count);
        for (long lane : lanes) {
            b.putLong(lane);
        }
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackSetDigest other && count == other.count && Arrays.equals(lanes, other.lanes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(lanes);
    }

    @Override
    public String toString() {
        return "PackSetDigest[" + count + " packs]";
    }
}
