package dev.strata.core.crypto;

import java.util.Optional;

/**
 * Argon2id cost parameters of one key file, within the limits Strata accepts (docs/format.md §3).
 * Immutable.
 *
 * <p>A key file's parameters are not authenticated (they are needed before anything can be), so
 * anyone who can write to the repository can raise them. The limits keep such a key file from
 * hanging every command or exhausting memory: they lie far above what Strata writes (64 MiB, at
 * most 100 passes, one lane) and below what one attempt could take for more than about half a
 * minute on a slow machine.
 *
 * @param memoryKiB   memory in KiB (at least 8 × parallelism, as Argon2 requires)
 * @param iterations  passes over the memory (at least 1)
 * @param parallelism lanes (at least 1)
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    /** The memory Strata uses for new key files. */
    public static final int DEFAULT_MEMORY_KIB = 64 * 1024;
    /** The fewest iterations calibration picks. */
    public static final int MIN_ITERATIONS = 3;
    /** The most iterations calibration picks. */
    public static final int MAX_CALIBRATED_ITERATIONS = 100;

    /** The most memory a key file may ask for: 1 GiB, 16 times what Strata writes. */
    public static final long MAX_MEMORY_KIB = 1L << 20;
    /** The most passes a key file may ask for (Strata writes at most {@link #MAX_CALIBRATED_ITERATIONS}). */
    public static final long MAX_ITERATIONS = 1000;
    /** The most lanes a key file may ask for (Strata writes one). */
    public static final long MAX_PARALLELISM = 16;
    /**
     * The most work a key file may ask for, memory × passes in KiB: 32 GiB, five times the most
     * Strata writes (64 MiB × 100 passes); about 25 s per attempt where libargon2 passes over
     * memory at 1.3 GiB/s.
     */
    public static final long MAX_WORK_KIB = 32L << 20;

    public KdfParams {
        beyondLimits(memoryKiB, iterations, parallelism).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /**
     * What is wrong with these parameters, if anything: values Argon2 cannot take, or a cost beyond
     * the limits above. Takes longs so that values read from a file are checked before narrowing.
     */
    public static Optional<String> beyondLimits(long memoryKiB, long iterations, long parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return Optional.of("Argon2 parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return Optional.of("Argon2 iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            return Optional.of("Argon2 memory must be 8×parallelism KiB..1 GiB, got " + memoryKiB + " KiB");
        }
        if (memoryKiB * iterations > MAX_WORK_KIB) {
            return Optional.of("Argon2 work of " + (memoryKiB >> 10) + " MiB × " + iterations
                    + " passes exceeds 32 GiB");
        }
        return Optional.empty();
    }

    /** Memory × passes in KiB: how long a derivation takes, give or take the machine. */
    public long workKiB() {
        return (long) memoryKiB * iterations;
    }
}
