package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The benchmark corpus: 256 MiB of deterministic mixed data, the same bytes on every machine, laid
 * out as eight rounds of text-like, JSON-like and random (incompressible) data, with a 16 MiB run of
 * zeros (a sparse region) after the fourth round. Thread-safe (stateless).
 *
 * <p>Benchmarks read the file named by {@code STRATA_BENCH_CORPUS} when it holds the corpus, so that
 * native tools and JMH measure the very same bytes; otherwise they generate it in memory.
 */
final class Corpus {
    static final int MIB = 1 << 20;
    /** A compile-time constant so that benchmarks can report bytes through @OperationsPerInvocation. */
    static final int BYTES = 256 * MIB;
    static final String ENV = "STRATA_BENCH_CORPUS";

    private static final int ROUNDS = 8;
    private static final int TEXT = 12 * MIB;
    private static final int JSON = 12 * MIB;
    private static final int RANDOM = 6 * MIB;
    private static final int ZEROS = 16 * MIB;
    private static final long SEED = 0x5354524154414231L; // "STRATAB1"

    private Corpus() {
    }

    /** The corpus from the file named by {@link #ENV} when it is there and whole, else generated. */
    static byte[] load() throws IOException {
        String file = System.getenv(ENV);
        if (file != null && !file.isEmpty()) {
            Path p = Path.of(file);
            if (Files.isRegularFile(p) && Files.size(p) == BYTES) {
                return Files.readAllBytes(p);
            }
        }
        return generate();
    }

    static byte[] generate() {
        byte[] out = new byte[BYTES];
        int p = 0;
        for (int round = 0; round < ROUNDS; round++) {
            SplittableRandom rnd = new SplittableRandom(SEED + round);
            TextLike.fill(out, p, TEXT, rnd);
            p += TEXT;
            JsonLike.fill(out, p, JSON, rnd);
            p += JSON;
            byte[] noise = new byte[RANDOM];
            rnd.nextBytes(noise);
            System.arraycopy(noise, 0, out, p, RANDOM);
            p += RANDOM;
            if (round == ROUNDS / 2 - 1) {
                p += ZEROS; // already zero
            }
        }
        if (p != BYTES) {
            throw new AssertionError("corpus layout adds up to " + p + " bytes, not " + BYTES);
        }
        return out;
    }

    /** Writes the corpus to {@code args[0]}: {@code java -cp benchmarks.jar dev.strata.bench.Corpus FILE}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Corpus FILE");
            System.exit(2);
        }
        Path target = Path.of(args[0]);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, generate());
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
