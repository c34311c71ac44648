package dev.strata.core.id;

/**
 * The id of a stored chunk: HMAC-SHA-256 of its plaintext under the repository's chunk-id key
 * (docs/format.md §2.2). Immutable, thread-safe.
 */
public final class ChunkId extends Id32 {
    private ChunkId(byte[] bytes) {
        super(bytes);
    }

    public static ChunkId of(byte[] bytes) {
        return new ChunkId(bytes);
    }

    public static ChunkId of(byte[] bytes, int offset) {
        byte[] copy = new byte[LENGTH];
        System.arraycopy(bytes, offset, copy, 0, LENGTH);
        return new ChunkId(copy);
    }

    public static ChunkId parse(String hex) {
        return new ChunkId(parseHex(hex, "chunk id"));
    }
}
