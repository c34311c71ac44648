package dev.strata.core.crypto;

import dev.strata.core.error.CorruptDataException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeKeysTest {
    private static final byte[] VOLUME = id(7);
    private static final byte[] OTHER_VOLUME = id(8);

    private static byte[] id(int b) {
        byte[] id = new byte[16];
        java.util.Arrays.fill(id, (byte) b);
        return id;
    }

    @Test
    void wrapped_opensUnderTheSameRepositoryKey_toTheSameKeys() throws Exception {
        MasterKey repo = CryptoTestData.masterKey(1);
        VolumeKeys keys = VolumeKeys.generate(VOLUME, 512 << 10, 1 << 20, 8 << 20);
        VolumeKeys back = VolumeKeys.unwrap(repo, VOLUME, keys.wrap(repo));
        assertEquals(keys, back);
        byte[] data = "the same bytes".getBytes();
        assertEquals(keys.chunkIdHasher().hash(data), back.chunkIdHasher().hash(data));
        assertArrayEquals(new int[] {512 << 10, 1 << 20, 8 << 20}, back.chunkerSizes());
        assertArrayEquals(keys.gearTable(), back.gearTable());
    }

    @Test
    void anotherRepositorysKey_isRefused() {
        VolumeKeys keys = VolumeKeys.generate(VOLUME, 512 << 10, 1 << 20, 8 << 20);
        byte[] wrapped = keys.wrap(CryptoTestData.masterKey(1));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> VolumeKeys.unwrap(CryptoTestData.masterKey(2), VOLUME, wrapped));
        assertTrue(e.getMessage().contains("volume 07070707"), e.getMessage());
        assertTrue(e.getMessage().contains("do not open"), e.getMessage());
    }

    @Test
    void keysOfAnotherVolume_areRefused() {
        MasterKey repo = CryptoTestData.masterKey(1);
        byte[] wrapped = VolumeKeys.generate(VOLUME, 512 << 10, 1 << 20, 8 << 20).wrap(repo);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> VolumeKeys.unwrap(repo, OTHER_VOLUME, wrapped));
        assertTrue(e.getMessage().contains("volume 08080808"), e.getMessage());
    }

    @Test
    void everyFlippedBit_andACutEnvelope_areNamedDamaged() {
        MasterKey repo = CryptoTestData.masterKey(1);
        byte[] wrapped = VolumeKeys.generate(VOLUME, 512 << 10, 1 << 20, 8 << 20).wrap(repo);
        for (int i = 0; i < wrapped.length * 8; i += 7) {
            byte[] bad = wrapped.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> VolumeKeys.unwrap(repo, VOLUME, bad));
            assertTrue(e.getMessage().startsWith("the keys of volume 07070707"), e.getMessage());
        }
        byte[] cut = java.util.Arrays.copyOf(wrapped, wrapped.length - 1);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> VolumeKeys.unwrap(repo, VOLUME, cut));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void plaintext_roundTrips_andAnotherLengthOrVersionIsDamaged() throws Exception {
        VolumeKeys keys = VolumeKeys.generate(VOLUME, 4096, 16384, 65536);
        assertEquals(keys, VolumeKeys.fromPlaintext(VOLUME, keys.plaintext()));
        assertThrows(CorruptDataException.class, () -> VolumeKeys.fromPlaintext(VOLUME, java.util.Arrays.copyOf(keys.plaintext(), 46)));
        byte[] version = keys.plaintext();
        version[0] = 2;
        assertThrows(CorruptDataException.class, () -> VolumeKeys.fromPlaintext(VOLUME, version));
    }

    @Test
    void theVolumesKeys_differFromTheRepositorys_andBetweenVolumes() {
        MasterKey repo = CryptoTestData.masterKey(1);
        VolumeKeys a = VolumeKeys.generate(VOLUME, 512 << 10, 1 << 20, 8 << 20);
        VolumeKeys b = VolumeKeys.generate(OTHER_VOLUME, 512 << 10, 1 << 20, 8 << 20);
        byte[] data = new byte[1000];
        assertNotEquals(repo.chunkIdHasher().hash(data), a.chunkIdHasher().hash(data));
        assertNotEquals(a.chunkIdHasher().hash(data), b.chunkIdHasher().hash(data));
        assertFalse(a.toString().contains(java.util.HexFormat.of().formatHex(a.plaintext(), 1, 33)));
        assertArrayEquals(VOLUME, a.volumeId());
    }
}
