package dev.strata.volume.state;

/**
 * A byte range {@code [start, end)} of a file written since its last version, held in its overlay.
 */
public record Extent(long start, long end) {
    public Extent {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad extent [" + start + ", " + end + ")");
        }
    }

    public long length() {
        return end - start;
    }
}
