package dev.strata.core.pack;

import dev.strata.core.compress.Compressed;
import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.Compressor;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;

import javax.crypto.AEADBadTagException;

/**
 * Seals chunk payloads into pack entries and opens them again, binding each entry to its chunk id,
 * compression and raw length through the associated data (docs/format.md §5.1). Thread-safe.
 */
public final class EntryCipher {
    private final Aes256GcmCipher cipher;
    private final Compressor compressor;

    public EntryCipher(Aes256GcmCipher cipher, Compressor compressor) {
        this.cipher = cipher;
        this.compressor = compressor;
    }

    /** Compresses (or not) and encrypts one chunk. */
    public SealedEntry seal(ChunkId id, byte[] chunk, int offset, int length) {
        Compressed c = compressor.compress(chunk, offset, length);
        byte[] aad = PackFormat.entryAad(id, c.code(), length);
        return new SealedEntry(id, c.code(), length, cipher.seal(c.data(), c.offset(), c.length(), aad));
    }

    /**
     * Encrypts a payload that is already in its stored form ({@code compression} of a chunk of
     * {@code rawLength} bytes), without compressing it: for a chunk a peer sent as it stores it, whose
     * payload the caller decoded and checked against {@code id}.
     */
    public SealedEntry sealStored(ChunkId id, CompressionCode compression, int rawLength, byte[] payload) {
        byte[] aad = PackFormat.entryAad(id, compression, rawLength);
        return new SealedEntry(id, compression, rawLength, cipher.seal(payload, 0, payload.length, aad));
    }

    /** Decrypts one entry read from {@code pack}, leaving its payload as stored (compressed or not). */
    public byte[] openStored(PackId pack, PackEntry entry, byte[] envelope, int offset) throws CorruptDataException {
        byte[] aad = PackFormat.entryAad(entry.id(), entry.compression(), entry.rawLength());
        try {
            return cipher.open(envelope, offset, entry.storedLength(), aad);
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("pack " + pack + ": chunk " + entry.id().shortString() + " at offset "
                    + entry.offset() + " fails authentication (damaged data or wrong index entry)", e);
        }
    }

    /** Decrypts and decompresses one entry read from {@code pack}; errors name the pack and chunk. */
    public byte[] open(PackId pack, PackEntry entry, byte[] envelope, int offset) throws CorruptDataException {
        byte[] payload = openStored(pack, entry, envelope, offset);
        try {
            return compressor.decompress(entry.compression(), payload, 0, payload.length, entry.rawLength());
        } catch (CorruptDataException e) {
            throw new CorruptDataException("pack " + pack + ": chunk " + entry.id().shortString() + ": " + e.getMessage(), e);
        }
    }

    Aes256GcmCipher cipher() {
        return cipher;
    }

    Compressor compressor() {
        return compressor;
    }
}
