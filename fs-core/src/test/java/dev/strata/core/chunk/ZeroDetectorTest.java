package dev.strata.core.chunk;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroDetectorTest {
    private static final int K64 = 64 * 1024;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 63, K64 - 1, K64, K64 + 1, 2 * K64, 2 * K64 + 7, 1024 * 1024})
    void isAllZero_zeros_areAHole(int length) {
        byte[] data = new byte[length + 10];
        assertTrue(ZeroDetector.isAllZero(data, 0, length));
        assertTrue(ZeroDetector.isAllZero(data, 10, length));
        assertTrue(ZeroDetector.isAllZero(data, 3, length));
    }

    /** Positions (relative to the range start) where a single non-zero byte must be found. */
    private static List<Integer> positionClasses(int length) {
        List<Integer> out = new ArrayList<>();
        int[] candidates = {0, 1, length / 2, length - 2, length - 1,
                K64 - 1, K64, K64 + 1, 2 * K64 - 1, 2 * K64, 2 * K64 + 1};
        for (int p : candidates) {
            if (p >= 0 && p < length && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, K64 - 1, K64, K64 + 1, K64 + 2, 2 * K64, 2 * K64 + 1, 3 * K64 + 5})
    void isAllZero_oneNonZeroByte_atEveryPositionClass_isNotAHole(int length) {
        for (int offset : new int[] {0, 1, 4095}) {
            for (int p : positionClasses(length)) {
                for (int value : new int[] {1, 0x80, 0xFF}) {
                    byte[] data = new byte[offset + length + 3];
                    data[offset + p] = (byte) value;
                    assertFalse(ZeroDetector.isAllZero(data, offset, length),
                            "byte 0x" + Integer.toHexString(value) + " at " + p + " of " + length + ", offset " + offset);
                }
            }
        }
    }

    @Test
    void isAllZero_ignoresBytesOutsideTheRange() {
        int length = 2 * K64 + 1;
        byte[] data = new byte[length + 2];
        data[0] = 1;
        data[data.length - 1] = 1;
        assertTrue(ZeroDetector.isAllZero(data, 1, length));
        assertFalse(ZeroDetector.isAllZero(data, 0, length));
        assertFalse(ZeroDetector.isAllZero(data, 2, length));
    }

    @Property(tries = 200)
    void isAllZero_agreesWithAPlainLoop(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300_000) int length,
                                        @ForAll @IntRange(min = 0, max = 3) int nonZeroBytes) {
        SplittableRandom r = new SplittableRandom(seed);
        int offset = r.nextInt(100);
        byte[] data = new byte[offset + length + r.nextInt(100)];
        for (int i = 0; i < nonZeroBytes; i++) {
            data[r.nextInt(data.length)] = (byte) (1 + r.nextInt(255));
        }
        boolean expected = true;
        for (int i = offset; i < offset + length; i++) {
            expected &= data[i] == 0;
        }
        assertEquals(expected, ZeroDetector.isAllZero(data, offset, length));
    }
}
