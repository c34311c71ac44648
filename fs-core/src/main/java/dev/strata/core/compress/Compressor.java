package dev.strata.core.compress;

import dev.strata.core.error.CorruptDataException;

/** Compresses chunk payloads, or decides they are better stored raw. Implementations are thread-safe. */
public interface Compressor {

    /** The payload to store for {@code src[offset, offset+length)}. */
    Compressed compress(byte[] src, int offset, int length);

    /**
     * Decodes a stored payload back to exactly {@code rawLength} bytes; fails with
     * {@link CorruptDataException} when it does not decode to that.
     */
    byte[] decompress(CompressionCode code, byte[] src, int offset, int length, int rawLength) throws CorruptDataException;
}
