package dev.strata.core.id;

import java.util.Arrays;

/** Common shape of the 32-byte identifiers (chunk ids, pack ids). Immutable, thread-safe. */
public abstract class Id32 implements Comparable<Id32> {
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final int hash;

    protected Id32(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an id has " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
        this.hash = Arrays.hashCode(this.bytes);
    }

    /** A copy of the id's bytes. */
    public final byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the id's bytes into {@code dst} at {@code offset}. */
    public final void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public final byte byteAt(int index) {
        return bytes[index];
    }

    /** The first 8 hex digits, for logs and messages. */
    public final String shortString() {
        return Hex.encode(Arrays.copyOf(bytes, 4));
    }

    @Override
    public final String toString() {
        return Hex.encode(bytes);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((Id32) o).bytes);
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final int compareTo(Id32 other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    protected static byte[] parseHex(String hex, String what) {
        if (!Hex.isHex(hex, 2 * LENGTH)) {
            throw new IllegalArgumentException("not a " + what + " (64 hex digits): '" + hex + "'");
        }
        return Hex.decode(hex);
    }
}
