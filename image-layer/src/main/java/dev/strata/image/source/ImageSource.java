package dev.strata.image.source;

import java.io.IOException;

/**
 * Something an image is taken of: a block device or an image file, read at absolute byte offsets.
 * Implementations are thread-safe for reads at distinct offsets.
 */
public interface ImageSource extends AutoCloseable {

    /** The path or name shown to people. */
    String describe();

    /** Size in bytes. */
    long size();

    /** Logical sector size in bytes: the unit of partition tables and of unreadable ranges. */
    int sectorSize();

    boolean isBlockDevice();

    /**
     * Reads exactly {@code length} bytes at {@code position} (within {@link #size()}). A device
     * error is an {@link IOException}; the caller retries and narrows it down.
     */
    void readFully(long position, byte[] dst, int offset, int length) throws IOException;

    /**
     * Ranges the source knows hold only zeros without reading them: the holes of a sparse image
     * file (SEEK_HOLE). Empty for a device, whose every byte must be read.
     */
    default java.util.List<dev.strata.image.ByteRange> knownHoles() throws IOException {
        return java.util.List.of();
    }

    /**
     * What identifies the source's current version (size, modification and change times) so that
     * a change during the read can be noticed; empty when the source cannot tell (a device).
     */
    String version() throws IOException;

    @Override
    void close() throws IOException;
}
