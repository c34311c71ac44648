package dev.strata.core.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MasterKeyTest {
    private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "some chunk".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] SECRET = CryptoTestData.bytes(1, 64);
    private static final byte[] ID = CryptoTestData.bytes(2, 16);

    @Test
    void of_sameSecretAndId_derivesTheSameSubkeys() throws AEADBadTagException {
        MasterKey a = MasterKey.of(SECRET, ID);
        MasterKey b = MasterKey.of(SECRET.clone(), ID.clone());
        assertArrayEquals(a.gearTable(), b.gearTable());
        assertEquals(a.chunkIdHasher().hash(DATA), b.chunkIdHasher().hash(DATA));
        assertArrayEquals(DATA, b.dataCipher().open(a.dataCipher().seal(DATA, AAD), AAD));
        assertArrayEquals(DATA, b.metadataCipher().open(a.metadataCipher().seal(DATA, AAD), AAD));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void of_differentRepositoryId_derivesDifferentSubkeys() {
        byte[] otherId = ID.clone();
        otherId[15] ^= 1;
        assertAllSubkeysDiffer(MasterKey.of(SECRET, ID), MasterKey.of(SECRET, otherId));
    }

    @Test
    void of_differentSecret_derivesDifferentSubkeys() {
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        assertAllSubkeysDiffer(MasterKey.of(SECRET, ID), MasterKey.of(otherSecret, ID));
    }

    private static void assertAllSubkeysDiffer(MasterKey a, MasterKey b) {
        assertFalse(Arrays.equals(a.gearTable(), b.gearTable()), "gear tables");
        assertNotEquals(a.chunkIdHasher().hash(DATA), b.chunkIdHasher().hash(DATA), "chunk ids");
        assertThrows(AEADBadTagException.class, () -> b.dataCipher().open(a.dataCipher().seal(DATA, AAD), AAD));
        assertThrows(AEADBadTagException.class, () -> b.metadataCipher().open(a.metadataCipher().seal(DATA, AAD), AAD));
        assertNotEquals(a, b);
    }

    @Test
    void dataAndMetadataKeys_areDifferentKeys() {
        MasterKey k = MasterKey.of(SECRET, ID);
        assertThrows(AEADBadTagException.class, () -> k.metadataCipher().open(k.dataCipher().seal(DATA, AAD), AAD));
        assertThrows(AEADBadTagException.class, () -> k.dataCipher().open(k.metadataCipher().seal(DATA, AAD), AAD));
    }

    /** docs/format.md §2.1: HKDF-SHA-256, salt = repository id, the documented info labels and lengths. */
    @Test
    void subkeys_areTheDocumentedHkdfDerivations() throws Exception {
        MasterKey k = MasterKey.of(SECRET, ID);

        byte[] chunkIdKey = CryptoTestData.hkdf(SECRET, ID, "strata/v1/chunk-id", 32);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(chunkIdKey, "HmacSHA256"));
        assertArrayEquals(mac.doFinal(DATA), k.chunkIdHasher().hash(DATA).bytes());

        assertOpensWith(CryptoTestData.hkdf(SECRET, ID, "strata/v1/data", 32), k.dataCipher().seal(DATA, AAD));
        assertOpensWith(CryptoTestData.hkdf(SECRET, ID, "strata/v1/meta", 32), k.metadataCipher().seal(DATA, AAD));

        long[] gear = new long[256];
        ByteBuffer.wrap(CryptoTestData.hkdf(SECRET, ID, "strata/v1/gear", 2048))
                .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(gear);
        assertArrayEquals(gear, k.gearTable());
    }

    private static void assertOpensWith(byte[] key, byte[] envelope) throws Exception {
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, envelope, 0, 12));
        jdk.updateAAD(AAD);
        assertArrayEquals(DATA, jdk.doFinal(envelope, 12, envelope.length - 12));
    }

    @Test
    void generate_makesAFreshSecretEachTime() {
        MasterKey a = MasterKey.generate(ID);
        MasterKey b = MasterKey.generate(ID);
        assertNotEquals(a, b);
        assertFalse(Arrays.equals(a.secret(), b.secret()));
        assertArrayEquals(ID, a.repositoryId());
    }

    @Test
    void of_copiesItsInputs_andHandsOutCopies() {
        byte[] secret = SECRET.clone();
        byte[] id = ID.clone();
        MasterKey k = MasterKey.of(secret, id);
        long[] gear = k.gearTable();
        secret[0] ^= 1;
        id[0] ^= 1;
        k.gearTable()[0] ^= 1;
        k.repositoryId()[0] ^= 1;
        k.secret()[0] ^= 1;
        assertEquals(MasterKey.of(SECRET, ID), k);
        assertArrayEquals(gear, k.gearTable());
        assertArrayEquals(ID, k.repositoryId());
        assertArrayEquals(SECRET, k.secret());
    }

    @Test
    void of_rejectsWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> MasterKey.of(new byte[63], ID));
        assertThrows(IllegalArgumentException.class, () -> MasterKey.of(new byte[65], ID));
        assertThrows(IllegalArgumentException.class, () -> MasterKey.of(SECRET, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> MasterKey.of(SECRET, new byte[32]));
    }

    @Test
    void toString_doesNotShowTheSecret() {
        MasterKey k = MasterKey.of(SECRET, ID);
        String s = k.toString();
        assertFalse(s.contains(HexFormat.of().formatHex(SECRET, 0, 8)), s);
    }
}
