package dev.strata.core.view;

/** What statfs reports: the bytes and file slots of the storage behind a view. */
public record SpaceInfo(long totalBytes, long freeBytes, long availableBytes, long files, long freeFiles) {
}
