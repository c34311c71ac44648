package dev.strata.snapshot.diff;

/**
 * One difference between two snapshots.
 *
 * @param path      absolute path in the snapshot, with a trailing "/" for folders
 * @param oldSize   size in the older snapshot (0 when absent)
 * @param newSize   size in the newer snapshot (0 when absent)
 */
public record Change(ChangeKind kind, String path, long oldSize, long newSize) {
}
