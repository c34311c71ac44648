package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;

/**
 * Where one chunk sits inside a pack and how it is stored.
 *
 * @param offset       byte offset of the entry's envelope from the start of the pack
 * @param storedLength envelope length (payload plus 28 bytes)
 * @param rawLength    length of the chunk's plaintext
 */
public record PackEntry(ChunkId id, long offset, int storedLength, int rawLength, CompressionCode compression) {
    /**
     * The largest chunk plaintext: data chunks are at most 64 MiB (the chunker's limit); a tree this
     * large would list millions of entries. Checked before anything of that size is allocated.
     */
    public static final int MAX_RAW_LENGTH = 256 << 20;

    public PackEntry {
        if (offset < PackFormat.HEADER_LENGTH) {
            throw new IllegalArgumentException("entry offset " + offset + " lies inside the pack header");
        }
        if (storedLength < PackFormat.ENTRY_OVERHEAD) {
            throw new IllegalArgumentException("stored length " + storedLength + " is shorter than an envelope");
        }
        if (rawLength < 0 || rawLength > MAX_RAW_LENGTH) {
            throw new IllegalArgumentException("raw length " + rawLength + " out of range 0.." + MAX_RAW_LENGTH);
        }
        if (compression == CompressionCode.NONE && storedLength - PackFormat.ENTRY_OVERHEAD != rawLength) {
            throw new IllegalArgumentException("a raw entry stores exactly its raw length");
        }
    }

    public long end() {
        return offset + storedLength;
    }
}
