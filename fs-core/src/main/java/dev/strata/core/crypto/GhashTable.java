package dev.strata.core.crypto;

import org.bouncycastle.crypto.modes.gcm.GCMUtil;

/**
 * Multiplication by one fixed element of GCM's field (the hash key H) through Shoup's 8-bit tables:
 * x·H is the XOR of 16 looked-up products, one per byte of x. 64 KiB per key. Immutable, thread-safe.
 */
final class GhashTable {
    /** table[i][b] = (the element whose byte i is b, all others zero) · H, as two longs. */
    private final long[][] hi = new long[16][256];
    private final long[][] lo = new long[16][256];

    GhashTable(long[] h) {
        long[] x = new long[2];
        for (int i = 0; i < 16; i++) {
            for (int bit = 0; bit < 8; bit++) {
                // The element with just this bit set, times H; other byte values combine by XOR.
                x[0] = 0;
                x[1] = 0;
                int shift = 56 - 8 * (i % 8) + (7 - bit);
                x[i / 8] = 1L << shift;
                GCMUtil.multiply(x, h);
                int b = 1 << (7 - bit);
                hi[i][b] = x[0];
                lo[i][b] = x[1];
            }
            for (int b = 1; b < 256; b++) {
                int low = Integer.lowestOneBit(b);
                if (low != b) {
                    hi[i][b] = hi[i][low] ^ hi[i][b ^ low];
                    lo[i][b] = lo[i][low] ^ lo[i][b ^ low];
                }
            }
        }
    }

    /** x = x·H. */
    void multiply(long[] x) {
        long a = x[0];
        long b = x[1];
        long rh = 0;
        long rl = 0;
        for (int i = 0; i < 8; i++) {
            int byteA = (int) (a >>> (56 - 8 * i)) & 0xFF;
            int byteB = (int) (b >>> (56 - 8 * i)) & 0xFF;
            rh ^= hi[i][byteA] ^ hi[8 + i][byteB];
            rl ^= lo[i][byteA] ^ lo[8 + i][byteB];
        }
        x[0] = rh;
        x[1] = rl;
    }
}
