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

    /** The same content with adjacent holes joined into one (a content list never has two in a row). */
    public static java.util.List<ChunkRef> mergeHoles(java.util.List<ChunkRef> refs) {
        java.util.List<ChunkRef> out = new java.util.ArrayList<>(refs.size());
        for (ChunkRef r : refs) {
            if (r.isHole() && !out.isEmpty() && out.get(out.size() - 1).isHole()) {
                out.add(hole(out.remove(out.size() - 1).length() + r.length()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
