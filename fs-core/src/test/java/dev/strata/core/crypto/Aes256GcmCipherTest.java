package dev.strata.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Aes256GcmCipherTest {
    private static final byte[] AAD = "strata-test/v1".getBytes(StandardCharsets.US_ASCII);

    static SecretKey key(long seed) {
        return new SecretKeySpec(CryptoTestData.bytes(seed, 32), "AES");
    }

    private final Aes256GcmCipher cipher = new Aes256GcmCipher(key(1));

    @Property(tries = 200)
    void sealOpen_roundTrips(@ForAll long seed, @ForAll @IntRange(min = 0, max = 70_000) int length,
                             @ForAll @IntRange(min = 0, max = 100) int aadLength) throws AEADBadTagException {
        byte[] plain = CryptoTestData.bytes(seed, length);
        byte[] aad = CryptoTestData.bytes(~seed, aadLength);
        byte[] envelope = cipher.seal(plain, aad);
        assertEquals(length + Aes256GcmCipher.OVERHEAD, envelope.length);
        assertArrayEquals(plain, cipher.open(envelope, aad));
    }

    @Test
    void sealOpen_slicesAndOffsets() throws AEADBadTagException {
        byte[] buffer = CryptoTestData.bytes(2, 1000);
        byte[] envelope = cipher.seal(buffer, 100, 300, AAD);
        assertArrayEquals(Arrays.copyOfRange(buffer, 100, 400), cipher.open(envelope, AAD));

        byte[] out = new byte[50 + 300 + Aes256GcmCipher.OVERHEAD + 50];
        cipher.sealInto(buffer, 100, 300, AAD, out, 50);
        assertArrayEquals(Arrays.copyOfRange(buffer, 100, 400),
                cipher.open(out, 50, 300 + Aes256GcmCipher.OVERHEAD, AAD));
        for (int i = 0; i < 50; i++) {
            assertEquals(0, out[i], "sealInto wrote before its offset");
            assertEquals(0, out[out.length - 1 - i], "sealInto wrote past its envelope");
        }
    }

    @Test
    void seal_isTheDocumentedEnvelope_nonceCiphertextTag() throws Exception {
        // docs/format.md: nonce (12) ‖ ciphertext ‖ tag (16), readable by any AES-256-GCM.
        byte[] plain = CryptoTestData.bytes(3, 123);
        byte[] envelope = cipher.seal(plain, AAD);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, key(1), new GCMParameterSpec(128, envelope, 0, 12));
        jdk.updateAAD(AAD);
        assertArrayEquals(plain, jdk.doFinal(envelope, 12, envelope.length - 12));
    }

    @ParameterizedTest
    @ValueSource(ints = {Aes256GcmCipher.SEAL_SLICE, Aes256GcmCipher.SEAL_SLICE + 1, 3 * Aes256GcmCipher.SEAL_SLICE - 5, 1 << 20})
    void seal_inSlices_isTheSameAsOneJdkDoFinal(int length) throws Exception {
        byte[] buffer = CryptoTestData.bytes(length, length + 7);
        byte[] envelope = cipher.seal(buffer, 7, length, AAD);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, key(1), new GCMParameterSpec(128, envelope, 0, 12));
        jdk.updateAAD(AAD);
        assertArrayEquals(jdk.doFinal(buffer, 7, length), Arrays.copyOfRange(envelope, 12, envelope.length));
    }

    @Property(tries = 50)
    void open_readsEnvelopesSealedByTheJdkItself(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300_000) int length,
                                                 @ForAll @IntRange(min = 0, max = 40) int aadLength) throws Exception {
        // open() verifies by counter mode plus re-sealing; it must accept exactly what standard GCM made.
        byte[] plain = CryptoTestData.bytes(seed, length);
        byte[] aad = CryptoTestData.bytes(~seed, aadLength);
        byte[] nonce = CryptoTestData.bytes(seed + 1, 12);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, key(1), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(aad);
        byte[] body = jdk.doFinal(plain);
        byte[] envelope = new byte[12 + body.length];
        System.arraycopy(nonce, 0, envelope, 0, 12);
        System.arraycopy(body, 0, envelope, 12, body.length);
        assertArrayEquals(plain, cipher.open(envelope, aad));
    }

    @Test
    void open_theSameEnvelopeTwiceInARow_works() throws AEADBadTagException {
        byte[] plain = CryptoTestData.bytes(9, 100_000);
        byte[] envelope = cipher.seal(plain, AAD);
        assertArrayEquals(plain, cipher.open(envelope, AAD));
        assertArrayEquals(plain, cipher.open(envelope, AAD));
        assertArrayEquals(plain, cipher.open(envelope, AAD));
    }

    @Test
    void open_wrongAssociatedData_failsWithBadTag() {
        byte[] envelope = cipher.seal(CryptoTestData.bytes(4, 5000), AAD);
        assertThrows(AEADBadTagException.class, () -> cipher.open(envelope, "other".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 64})
    void open_anyFlippedBitOfTheEnvelope_failsWithBadTag(int length) {
        byte[] plain = CryptoTestData.bytes(length, length);
        byte[] envelope = cipher.seal(plain, AAD);
        for (int bit = 0; bit < envelope.length * 8; bit++) {
            byte[] damaged = envelope.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            assertThrows(AEADBadTagException.class, () -> cipher.open(damaged, AAD), "bit " + b + " flipped");
        }
    }

    @Property(tries = 200)
    void open_flippedBitOfALargeEnvelope_failsWithBadTag(@ForAll long seed,
                                                         @ForAll @IntRange(min = 100, max = 100_000) int length) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] envelope = cipher.seal(CryptoTestData.bytes(seed, length), AAD);
        int bit = r.nextInt(envelope.length * 8);
        envelope[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThrows(AEADBadTagException.class, () -> cipher.open(envelope, AAD));
    }

    @Test
    void open_wrongAad_failsWithBadTag() {
        byte[] envelope = cipher.seal(CryptoTestData.bytes(4, 100), AAD);
        List<byte[]> wrong = new ArrayList<>();
        wrong.add(new byte[0]);
        wrong.add(Arrays.copyOf(AAD, AAD.length - 1));
        wrong.add(Arrays.copyOf(AAD, AAD.length + 1));
        for (int bit = 0; bit < AAD.length * 8; bit++) {
            byte[] a = AAD.clone();
            a[bit / 8] ^= (byte) (1 << (bit % 8));
            wrong.add(a);
        }
        for (byte[] aad : wrong) {
            assertThrows(AEADBadTagException.class, () -> cipher.open(envelope, aad), new String(aad, StandardCharsets.ISO_8859_1));
        }
        byte[] noAad = cipher.seal(CryptoTestData.bytes(4, 100), new byte[0]);
        assertThrows(AEADBadTagException.class, () -> cipher.open(noAad, new byte[1]));
    }

    @Test
    void open_wrongKey_failsWithBadTag() {
        byte[] envelope = cipher.seal(CryptoTestData.bytes(5, 100), AAD);
        byte[] almost = CryptoTestData.bytes(1, 32);
        almost[31] ^= 1;
        for (SecretKey other : new SecretKey[] {key(2), new SecretKeySpec(almost, "AES")}) {
            assertThrows(AEADBadTagException.class, () -> new Aes256GcmCipher(other).open(envelope, AAD));
        }
    }

    @Test
    void open_truncatedOrExtendedEnvelope_failsWithBadTag() {
        byte[] envelope = cipher.seal(CryptoTestData.bytes(6, 40), AAD);
        for (int length = 0; length < envelope.length; length++) {
            byte[] cut = Arrays.copyOf(envelope, length);
            assertThrows(AEADBadTagException.class, () -> cipher.open(cut, AAD), "cut to " + length);
        }
        byte[] longer = Arrays.copyOf(envelope, envelope.length + 1);
        assertThrows(AEADBadTagException.class, () -> cipher.open(longer, AAD));
    }

    @Test
    void seal_samePlaintextTwice_givesDifferentEnvelopesAndNonces() throws AEADBadTagException {
        byte[] plain = CryptoTestData.bytes(7, 64);
        Set<String> envelopes = new HashSet<>();
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] e = cipher.seal(plain, AAD);
            envelopes.add(Arrays.toString(e));
            nonces.add(Arrays.toString(Arrays.copyOf(e, Aes256GcmCipher.NONCE_LENGTH)));
            assertArrayEquals(plain, cipher.open(e, AAD));
        }
        assertEquals(100, envelopes.size());
        assertEquals(100, nonces.size());
    }

    @Test
    void open_afterAFailure_theThreadsCipherStillWorks() throws AEADBadTagException {
        byte[] plain = CryptoTestData.bytes(8, 64);
        byte[] envelope = cipher.seal(plain, AAD);
        byte[] damaged = envelope.clone();
        damaged[20] ^= 1;
        assertThrows(AEADBadTagException.class, () -> cipher.open(damaged, AAD));
        assertArrayEquals(plain, cipher.open(envelope, AAD));
        byte[] again = cipher.seal(plain, AAD);
        assertArrayEquals(plain, cipher.open(again, AAD));
    }

    @Test
    void sealOpen_manyThreadsAndKeysAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                jobs.add(pool.submit(() -> {
                    Aes256GcmCipher mine = new Aes256GcmCipher(key(100 + seed % 3));
                    for (int i = 0; i < 200; i++) {
                        byte[] plain = CryptoTestData.bytes(seed * 1000 + i, i * 13);
                        assertArrayEquals(plain, mine.open(mine.seal(plain, AAD), AAD));
                        assertArrayEquals(plain, cipher.open(cipher.seal(plain, AAD), AAD));
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void constructor_refusesKeysThatAreNot32Bytes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Aes256GcmCipher(new SecretKeySpec(new byte[16], "AES")));
        assertEquals(12, Aes256GcmCipher.NONCE_LENGTH);
        assertEquals(28, Aes256GcmCipher.OVERHEAD);
    }
}
