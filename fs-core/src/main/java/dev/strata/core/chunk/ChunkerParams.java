package dev.strata.core.chunk;

/**
 * Minimum, average and maximum chunk size of content-defined chunking. The average must be a power of
 * two (it sets the number of mask bits).
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize) {
    public static final ChunkerParams DEFAULT = new ChunkerParams(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    public ChunkerParams {
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two, got " + avgSize);
        }
        if (minSize < 64 || minSize >= avgSize || avgSize >= maxSize || maxSize > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("need 64 <= min < avg < max <= 64 MiB, got min " + minSize
                    + ", avg " + avgSize + ", max " + maxSize);
        }
        int bits = Integer.numberOfTrailingZeros(avgSize);
        if (bits < 8 || bits > 26) {
            throw new IllegalArgumentException("average chunk size must be 256 B..64 MiB, got " + avgSize);
        }
    }

    /** log2 of the average size: the number of mask bits at the average. */
    public int averageBits() {
        return Integer.numberOfTrailingZeros(avgSize);
    }
}
