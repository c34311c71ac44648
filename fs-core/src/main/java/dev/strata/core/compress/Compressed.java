package dev.strata.core.compress;

/**
 * The outcome of compressing one chunk: the payload to store and how it is encoded. The payload is
 * a view of either the caller's input (when stored raw) or the compressor's per-thread scratch
 * buffer, valid until the same thread compresses again.
 */
public record Compressed(CompressionCode code, byte[] data, int offset, int length) {
}
