package dev.strata.core.store;

import dev.strata.core.id.ChunkId;

/**
 * One piece of a file's content: a stored chunk, or a hole of zeros that is not stored.
 *
 * @param id     the chunk, or {@code null} for a hole
 * @param length bytes this piece covers
 */
public record ChunkRef(ChunkId id, long length) {
    public ChunkRef {
        if (length <= 0) {
            throw new IllegalArgumentException("a chunk reference covers at least one byte, got " + length);
        }
        if (id != null && length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a stored chunk is at most 2 GiB");
        }
    }

    public static ChunkRef hole(long length) {
        return new ChunkRef(null, length);
    }

    public static ChunkRef chunk(ChunkId id, long length) {
        return new ChunkRef(id, length);
    }

    public boolean isHole() {
        return id == null;
    }
}
