package dev.strata.core.store;

import dev.strata.core.compress.CompressionCode;

/**
 * A chunk in the form a pack entry keeps it (docs/format.md §5.1): its payload, encoded as
 * {@code compression}, which decodes to {@code rawLength} bytes of plaintext. Immutable by contract:
 * the payload array is not copied, and its holder must not change it.
 */
public record StoredChunk(CompressionCode compression, int rawLength, byte[] payload) {
    public StoredChunk {
        if (compression == CompressionCode.NONE && payload.length != rawLength) {
            throw new IllegalArgumentException("an uncompressed payload of " + payload.length + " bytes for a chunk of " + rawLength);
        }
    }

    /** A chunk given as its plaintext. */
    public static StoredChunk plain(byte[] data) {
        return new StoredChunk(CompressionCode.NONE, data.length, data);
    }
}
