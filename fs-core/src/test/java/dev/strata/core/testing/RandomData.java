package dev.strata.core.testing;

import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded test data: the same seed and length give the same bytes on every run and machine.
 * Stateless, thread-safe.
 */
public final class RandomData {
    private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while strata packs chunks "
            + "into encrypted files and the index remembers where every chunk lives so that restore is fast "
            + "backup snapshot tree volume mount restic borg kopia lmdb zstd aes gcm argon2 fastcdc gear hash")
            .split(" ");

    private RandomData() {
    }

    /** Uniformly random, incompressible bytes. */
    public static byte[] bytes(long seed, int length) {
        byte[] out = new byte[length];
        fillRandom(new SplittableRandom(seed), out, 0, length);
        return out;
    }

    /** Text-like bytes (words, spaces, line breaks) that compress well. */
    public static byte[] text(long seed, int length) {
        byte[] out = new byte[length];
        fillText(new SplittableRandom(seed), out, 0, length);
        return out;
    }

    /**
     * Runs of random bytes, text and zeros, each a few KiB to a few hundred KiB long: data with some
     * compressible parts and some holes, like a disk image.
     */
    public static byte[] mixed(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = new byte[length];
        int p = 0;
        while (p < length) {
            int run = Math.min(length - p, 4096 + random.nextInt(256 * 1024));
            switch (random.nextInt(3)) {
                case 0:
                    fillRandom(random, out, p, run);
                    break;
                case 1:
                    fillText(random, out, p, run);
                    break;
                default:
                    break; // zeros
            }
            p += run;
        }
        return out;
    }

    /** A channel over {@code data}, for {@code putStream}. */
    public static ReadableByteChannel channel(byte[] data) {
        return Channels.newChannel(new ByteArrayInputStream(data));
    }

    private static void fillRandom(SplittableRandom random, byte[] out, int from, int length) {
        int end = from + length;
        int p = from;
        while (p + 8 <= end) {
            long v = random.nextLong();
            for (int i = 0; i < 8; i++) {
                out[p++] = (byte) (v >>> (8 * i));
            }
        }
        if (p < end) {
            long v = random.nextLong();
            while (p < end) {
                out[p++] = (byte) v;
                v >>>= 8;
            }
        }
    }

    private static void fillText(SplittableRandom random, byte[] out, int from, int length) {
        int end = from + length;
        int p = from;
        while (p < end) {
            byte[] word = WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < word.length && p < end; i++) {
                out[p++] = word[i];
            }
            if (p < end) {
                out[p++] = (byte) (random.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
    }
}
