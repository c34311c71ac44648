package dev.strata.core.chunk;

import java.util.Arrays;

/** Recognises all-zero chunks (holes) with the JDK's vectorised array comparison. Thread-safe. */
public final class ZeroDetector {
    private static final byte[] ZEROS = new byte[64 * 1024];

    private ZeroDetector() {
    }

    public static boolean isAllZero(byte[] data, int offset, int length) {
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int n = Math.min(ZEROS.length, end - p);
            if (Arrays.mismatch(data, p, p + n, ZEROS, 0, n) >= 0) {
                return false;
            }
            p += n;
        }
        return true;
    }
}
