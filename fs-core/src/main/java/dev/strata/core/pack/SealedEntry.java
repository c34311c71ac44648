package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;

/**
 * A chunk compressed and encrypted, ready to be appended to a pack; {@code envelope} is owned by this
 * record once built.
 */
public record SealedEntry(ChunkId id, CompressionCode compression, int rawLength, byte[] envelope) {
    public int storedLength() {
        return envelope.length;
    }
}
