package dev.strata.core.posix;

/**
 * A region of a file that holds data (as opposed to a hole). Immutable and thread-safe.
 *
 * @param offset byte offset of the region's start
 * @param length length of the region in bytes, positive
 */
public record Extent(long offset, long length) {
    public Extent {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset: " + offset);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
    }

    /** The offset just past the region. */
    public long end() {
        return offset + length;
    }
}
