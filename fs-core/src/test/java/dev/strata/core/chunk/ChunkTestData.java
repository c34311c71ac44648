package dev.strata.core.chunk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded inputs for the chunker tests: the same seed always gives the same bytes. Stateless. */
final class ChunkTestData {
    /** Small parameters for fast properties: min 2 KiB, average 8 KiB, max 64 KiB. */
    static final ChunkerParams SMALL = new ChunkerParams(2 * 1024, 8 * 1024, 64 * 1024);

    /** The shapes of input a chunker meets: noise, prose, sparse files and repetitive data. */
    enum Kind { RANDOM, TEXT, ZEROS, LOW_ENTROPY, MIXED }

    private static final String[] WORDS = ("the quick brown fox jumps over lazy dog backup chunk pack "
            + "strata snapshot index tree file restore prune key lock zstd gear hash mask").split(" ");

    private ChunkTestData() {
    }

    static long[] gearTable(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] gear = new long[256];
        for (int i = 0; i < gear.length; i++) {
            gear[i] = r.nextLong();
        }
        return gear;
    }

    static byte[] bytes(Kind kind, long seed, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[size];
        switch (kind) {
            case RANDOM -> r.nextBytes(out);
            case TEXT -> fillText(r, out, 0, size);
            case ZEROS -> { }
            case LOW_ENTROPY -> {
                for (int i = 0; i < size; i++) {
                    out[i] = (byte) (r.nextInt(16) == 0 ? r.nextInt(4) : 0);
                }
            }
            case MIXED -> {
                int p = 0;
                while (p < size) {
                    int n = Math.min(size - p, 1 + r.nextInt(40_000));
                    switch (r.nextInt(3)) {
                        case 0 -> {
                            byte[] noise = new byte[n];
                            r.nextBytes(noise);
                            System.arraycopy(noise, 0, out, p, n);
                        }
                        case 1 -> fillText(r, out, p, n);
                        default -> { } // a run of zeros
                    }
                    p += n;
                }
            }
            default -> throw new AssertionError(kind);
        }
        return out;
    }

    private static void fillText(SplittableRandom r, byte[] out, int from, int length) {
        int p = from;
        int end = from + length;
        while (p < end) {
            byte[] w = (WORDS[r.nextInt(WORDS.length)] + (r.nextInt(12) == 0 ? ".\n" : " "))
                    .getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, end - p);
            System.arraycopy(w, 0, out, p, n);
            p += n;
        }
    }

    /** Chunk lengths of {@code data[offset, offset+length)}, found by calling {@link Chunker#cut} directly. */
    static List<Integer> cutLengths(Chunker chunker, byte[] data, int offset, int length) {
        List<Integer> out = new ArrayList<>();
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int n = chunker.cut(data, p, end - p);
            if (n < 1 || n > end - p) {
                throw new AssertionError("cut returned " + n + " with " + (end - p) + " bytes left at " + (p - offset));
            }
            out.add(n);
            p += n;
        }
        return out;
    }

    static List<Integer> cutLengths(Chunker chunker, byte[] data) {
        return cutLengths(chunker, data, 0, data.length);
    }
}
