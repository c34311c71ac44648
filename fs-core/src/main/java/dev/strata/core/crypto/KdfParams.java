package dev.strata.core.crypto;

/**
 * Argon2id cost parameters of one key file.
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

    public KdfParams {
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1..64, got " + parallelism);
        }
        if (iterations < 1 || iterations > 1000) {
            throw new IllegalArgumentException("Argon2 iterations must be 1..1000, got " + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
            throw new IllegalArgumentException("Argon2 memory must be 8×parallelism KiB..4 GiB, got " + memoryKiB + " KiB");
        }
    }
}
