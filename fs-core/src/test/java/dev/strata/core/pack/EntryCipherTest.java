package dev.strata.core.pack;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryCipherTest {
    private final MasterKey key = PackFixture.masterKey(3);
    private final EntryCipher cipher = new EntryCipher(key.dataCipher(), new ZstdCompressor(3));
    private final PackId pack = PackId.random();

    private SealedEntry seal(byte[] chunk) {
        return cipher.seal(key.chunkIdHasher().hash(chunk), chunk, 0, chunk.length);
    }

    private static PackEntry at(SealedEntry e, long offset) {
        return new PackEntry(e.id(), offset, e.storedLength(), e.rawLength(), e.compression());
    }

    @Test
    void sealOpen_roundTripsRawAndCompressedChunks() throws CorruptDataException {
        for (byte[] chunk : PackFixture.chunks(1, 30, 100_000)) {
            SealedEntry e = seal(chunk);
            assertEquals(chunk.length, e.rawLength());
            if (e.compression() == CompressionCode.NONE) {
                assertEquals(chunk.length + 28, e.storedLength());
            } else {
                assertTrue(e.storedLength() < chunk.length + 28);
            }
            byte[] file = new byte[100 + e.storedLength()];
            System.arraycopy(e.envelope(), 0, file, 100, e.storedLength());
            assertArrayEquals(chunk, cipher.open(pack, at(e, 100), file, 100));
        }
    }

    @Test
    void seal_sliceOfALargerArray() throws CorruptDataException {
        byte[] buffer = "0123456789abcdef".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] slice = Arrays.copyOfRange(buffer, 10, 1010);
        SealedEntry e = cipher.seal(key.chunkIdHasher().hash(slice), buffer, 10, 1000);
        assertArrayEquals(slice, cipher.open(pack, at(e, 48), e.envelope(), 0));
    }

    /** The AAD binds an entry to its chunk id, compression and raw length: a table lying about any fails. */
    @Test
    void open_withWrongIdCompressionOrLength_throwsCorruptDataNamingPackAndChunk() {
        byte[] chunk = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(50).getBytes(StandardCharsets.US_ASCII);
        SealedEntry e = seal(chunk);
        assertEquals(CompressionCode.ZSTD, e.compression());
        ChunkId otherId = key.chunkIdHasher().hash(new byte[] {9});
        List<PackEntry> lies = List.of(
                new PackEntry(otherId, 48, e.storedLength(), e.rawLength(), e.compression()),
                new PackEntry(e.id(), 48, e.storedLength(), e.rawLength() + 1, e.compression()),
                new PackEntry(e.id(), 48, e.storedLength(), e.storedLength() - 28, CompressionCode.NONE),
                new PackEntry(e.id(), 48, e.storedLength() - 1, e.rawLength(), e.compression()));
        for (PackEntry lie : lies) {
            CorruptDataException x = assertThrows(CorruptDataException.class,
                    () -> cipher.open(pack, lie, e.envelope(), 0), lie.toString());
            assertTrue(x.getMessage().contains(pack.toString()), x.getMessage());
            assertTrue(x.getMessage().contains(lie.id().shortString()), x.getMessage());
        }
    }

    @Test
    void open_withAnotherDataKey_throwsCorruptData() {
        SealedEntry e = seal(new byte[500]);
        EntryCipher other = new EntryCipher(PackFixture.masterKey(4).dataCipher(), new ZstdCompressor(3));
        assertThrows(CorruptDataException.class, () -> other.open(pack, at(e, 48), e.envelope(), 0));
    }
}
