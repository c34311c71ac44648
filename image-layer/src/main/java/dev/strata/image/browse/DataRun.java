package dev.strata.image.browse;

/**
 * A piece of a regular file's bytes that lies contiguously in its filesystem: {@code length} bytes
 * of the file starting at {@code fileOffset}, stored at byte {@code position} of the filesystem.
 * Immutable.
 */
public record DataRun(long fileOffset, long position, long length) {
    public long end() {
        return position + length;
    }
}
