package dev.strata.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeProbeTest {
    private final Aes256GcmCipher cipher = new Aes256GcmCipher(Aes256GcmCipherTest.key(7));

    /** Two envelopes back to back, as in a pack: the probe finds the first one's end and nothing else. */
    @Property(tries = 60)
    void findsExactlyTheLengthAnEnvelopeWasSealedWith(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int length,
                                                      @ForAll @IntRange(min = 0, max = 60) int aadLength) {
        byte[] plain = CryptoTestData.bytes(seed, length);
        byte[] aad = CryptoTestData.bytes(~seed, aadLength);
        byte[] first = cipher.seal(plain, aad);
        byte[] second = cipher.seal(CryptoTestData.bytes(seed + 1, 50), aad);
        byte[] pack = new byte[5 + first.length + second.length];
        System.arraycopy(first, 0, pack, 5, first.length);
        System.arraycopy(second, 0, pack, 5 + first.length, second.length);

        EnvelopeProbe probe = cipher.probe();
        probe.start(pack, 5, pack.length - 5);
        assertArrayEquals(plain, Arrays.copyOf(probe.plaintext(length), length));
        for (int candidate = 0; candidate <= probe.maxTextLength(); candidate++) {
            assertEquals(candidate == length, probe.authenticates(candidate, aad), "length " + candidate);
        }
        assertTrue(probe.authenticates(length, aad), "again after rising past it");
        byte[] otherAad = aad.clone();
        if (otherAad.length > 0) {
            otherAad[0] ^= 1;
            assertFalse(probe.authenticates(length, otherAad));
        }
        assertArrayEquals(Arrays.copyOf(cipher.probe().firstBlock(pack, 5), Math.min(16, length)),
                Arrays.copyOf(plain, Math.min(16, length)));
    }

    @Test
    void aLongEnvelope_isDecryptedAndMatchedAcrossManyBlocks() {
        byte[] plain = CryptoTestData.bytes(3, 300_001);
        byte[] aad = CryptoTestData.bytes(4, 37);
        byte[] envelope = cipher.seal(plain, aad);
        EnvelopeProbe probe = cipher.probe();
        probe.start(envelope, 0, envelope.length);
        assertArrayEquals(plain, Arrays.copyOf(probe.plaintext(plain.length), plain.length));
        assertFalse(probe.authenticates(plain.length - 1, aad));
        assertTrue(probe.authenticates(plain.length, aad));
    }
}
