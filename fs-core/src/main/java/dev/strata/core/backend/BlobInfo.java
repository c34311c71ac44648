package dev.strata.core.backend;

/** A blob found by a listing, with its size in bytes. */
public record BlobInfo(BlobName name, long size) {
    public BlobInfo {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + name);
        }
    }
}
