package dev.strata.core.testing;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomDataTest {
    @Test
    void sameSeed_sameBytes_otherSeed_otherBytes() {
        assertArrayEquals(RandomData.bytes(7, 10_001), RandomData.bytes(7, 10_001));
        assertArrayEquals(RandomData.text(7, 10_001), RandomData.text(7, 10_001));
        assertArrayEquals(RandomData.mixed(7, 1_000_001), RandomData.mixed(7, 1_000_001));
        assertFalse(java.util.Arrays.equals(RandomData.bytes(7, 100), RandomData.bytes(8, 100)));
        assertEquals(0, RandomData.mixed(1, 0).length);
    }

    @Test
    void randomDoesNotCompress_textDoes() {
        byte[] random = RandomData.bytes(1, 1 << 20);
        byte[] text = RandomData.text(1, 1 << 20);
        assertTrue(Zstd.compress(random, 1).length > random.length * 0.99);
        assertTrue(Zstd.compress(text, 1).length < text.length / 3);
    }

    @Test
    void mixed_hasZeroRunsAndData() {
        byte[] mixed = RandomData.mixed(3, 4 << 20);
        int zeros = 0;
        for (byte b : mixed) {
            if (b == 0) {
                zeros++;
            }
        }
        assertTrue(zeros > mixed.length / 10 && zeros < mixed.length * 9 / 10, "zeros: " + zeros);
    }
}
