package dev.strata.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HkdfTest {

    @Test
    void derive_matchesRfc5869TestCase3() {
        // RFC 5869 A.3: SHA-256, 22 bytes of 0x0b, empty salt, empty info, L = 42.
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] expected = HexFormat.of().parseHex(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        assertArrayEquals(expected, Hkdf.derive(ikm, new byte[0], "", 42));
        assertArrayEquals(expected, CryptoTestData.hkdf(ikm, new byte[0], "", 42));
    }

    @Property(tries = 100)
    void derive_agreesWithAnIndependentRfc5869(@ForAll long seed,
                                               @ForAll @IntRange(min = 0, max = 80) int ikmLength,
                                               @ForAll @IntRange(min = 0, max = 40) int saltLength,
                                               @ForAll @AlphaChars @StringLength(max = 30) String info,
                                               @ForAll @IntRange(min = 1, max = 2048) int length) {
        byte[] ikm = CryptoTestData.bytes(seed, ikmLength);
        byte[] salt = CryptoTestData.bytes(~seed, saltLength);
        assertArrayEquals(CryptoTestData.hkdf(ikm, salt, info, length), Hkdf.derive(ikm, salt, info, length));
    }

    @Test
    void derive_differentInfo_givesUnrelatedKeys() {
        byte[] ikm = CryptoTestData.bytes(1, 64);
        byte[] salt = CryptoTestData.bytes(2, 16);
        byte[] a = Hkdf.derive(ikm, salt, "strata/v1/data", 32);
        byte[] b = Hkdf.derive(ikm, salt, "strata/v1/meta", 32);
        assertEquals(32, a.length);
        assertFalse(Arrays.equals(a, b));
    }
}
