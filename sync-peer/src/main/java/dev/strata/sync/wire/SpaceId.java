package dev.strata.sync.wire;

import dev.strata.core.id.Hex;

import java.util.Arrays;

/**
 * Names the set of chunks a chunk exchange is about, whose ids are all under one chunk-id key: a
 * shared volume's id, or a repository's id when both peers hold that repository. 16 bytes.
 * Immutable, thread-safe.
 */
public final class SpaceId {
    public static final int LENGTH = 16;
    private final byte[] bytes;

    private SpaceId(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a space id has " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static SpaceId of(byte[] bytes) {
        return new SpaceId(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpaceId && Arrays.equals(bytes, ((SpaceId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The first 8 hex digits, as repository and volume ids are shown. */
    @Override
    public String toString() {
        return Hex.encode(bytes).substring(0, 8);
    }
}
