package dev.strata.core.testing;

import java.util.Arrays;
import java.util.Random;

/**
 * Random damage to a valid encoding, for fuzzing decoders: flipped bits, bytes set to extremes,
 * truncation, inserted and deleted runs, and the largest varints written over a field. Stateless.
 */
public final class Mutations {
    private Mutations() {
    }

    /** {@code original} with one to three random mutations. */
    public static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            b = once(b, random);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random random) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
            case 2 -> b = Arrays.copyOf(b, at);
            case 3 -> {
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                b = splice(b, at, 0, extra);
            }
            case 4 -> b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(16)), new byte[0]);
            case 5 -> {
                // The largest 64-bit varint, or 2^31 and 2^62 as varints: absurd counts and sizes.
                byte[][] huge = {
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, (byte) 0xFF, 0x01},
                    {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
                    {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, 0x40},
                };
                byte[] v = huge[random.nextInt(huge.length)];
                b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(2)), v);
            }
            default -> {
                // Little-endian 32-bit extremes over a fixed-width field (pack tables, trailers).
                int v = random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE + random.nextInt(3);
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * k));
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
