package dev.strata.image.fs;

import dev.strata.image.ByteRange;

import java.util.List;

/**
 * What was found in a region: the filesystem's name ({@code ext4}, {@code fat32}, {@code ntfs},
 * {@code unknown}…) and, for filesystems whose allocation Strata reads, the byte ranges in use
 * (relative to the region's start, sorted, merged).
 *
 * @param used   null when the allocation is not known: every block must be read
 * @param reason why the allocation is not known, or empty
 */
public record FilesystemInfo(String name, long blockSize, List<ByteRange> used, String reason) {
    public FilesystemInfo {
        used = used == null ? null : List.copyOf(used);
        reason = reason == null ? "" : reason;
    }

    public boolean knowsAllocation() {
        return used != null;
    }

    public long usedBytes() {
        return used == null ? -1 : used.stream().mapToLong(ByteRange::length).sum();
    }

    static FilesystemInfo opaque(String name, String reason) {
        return new FilesystemInfo(name, 0, null, reason);
    }
}
