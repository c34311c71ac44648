package dev.strata.bench;

import java.util.SplittableRandom;

/** Prose-like ASCII: sentences of skewed words, commas, paragraphs. Compresses about like English text. */
final class TextLike {
    private TextLike() {
    }

    static void fill(byte[] out, int offset, int length, SplittableRandom rnd) {
        Vocabulary vocab = new Vocabulary(8000, rnd);
        AsciiWriter w = new AsciiWriter(out, offset, length);
        int column = 0;
        while (!w.full()) {
            int words = 4 + rnd.nextInt(20);
            for (int i = 0; i < words; i++) {
                byte[] word = vocab.next(rnd);
                if (i == 0) {
                    w.put((char) (word[0] - 32));
                    w.put(java.util.Arrays.copyOfRange(word, 1, word.length));
                } else {
                    w.put(word);
                }
                column += word.length + 1;
                if (i + 1 < words) {
                    w.put(rnd.nextInt(12) == 0 ? ", " : " ");
                }
                if (column > 72) {
                    w.put('\n');
                    column = 0;
                }
            }
            w.put(rnd.nextInt(8) == 0 ? "?\n\n" : ". ");
        }
        w.pad();
    }
}
