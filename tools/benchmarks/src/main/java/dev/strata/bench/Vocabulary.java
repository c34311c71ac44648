package dev.strata.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Made-up lower-case words drawn with a skewed (Zipf-like) frequency. Immutable after construction. */
final class Vocabulary {
    private final byte[][] words;

    Vocabulary(int size, SplittableRandom rnd) {
        words = new byte[size][];
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < size; i++) {
            b.setLength(0);
            int len = 2 + rnd.nextInt(4) + rnd.nextInt(6);
            for (int j = 0; j < len; j++) {
                b.append((char) ('a' + rnd.nextInt(26)));
            }
            words[i] = b.toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A word, frequent ones far more often than rare ones. */
    byte[] next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        return words[(int) (words.length * u * u * u)];
    }
}
