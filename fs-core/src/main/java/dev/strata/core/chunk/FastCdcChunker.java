package dev.strata.core.chunk;

/**
 * FastCDC (Xia et al. 2020): Gear rolling hash, sub-minimum skipping, normalized chunking at level 2,
 * and two bytes per loop step (docs/format.md §6). Finds cut points only; {@link ChunkReader} feeds it
 * a stream. Immutable, thread-safe.
 *
 * <p>Byte by byte the rule is: starting at position {@code min} with {@code h = 0}, for each byte
 * {@code h = (h << 1) + gear[b]}; the chunk ends after the first byte at position {@code p} where
 * {@code h & mask == 0}, with the strict mask ({@code bits + 2} ones) while {@code p < avg} and the
 * loose one ({@code bits - 2} ones) after; otherwise it ends at {@code max} or at the end of data.
 * Masks keep bit 63 clear, which makes the two-bytes-per-step form exactly equal to that rule.
 */
public final class FastCdcChunker implements Chunker {
    private final ChunkerParams params;
    private final long[] gear;
    private final long[] gearShifted;
    private final long maskStrict;
    private final long maskLoose;

    public FastCdcChunker(ChunkerParams params, long[] gearTable) {
        if (gearTable.length != 256) {
            throw new IllegalArgumentException("a Gear table has 256 entries");
        }
        this.params = params;
        this.gear = gearTable.clone();
        this.gearShifted = new long[256];
        for (int i = 0; i < 256; i++) {
            gearShifted[i] = gear[i] << 1;
        }
        this.maskStrict = spreadMask(params.averageBits() + 2);
        this.maskLoose = spreadMask(params.averageBits() - 2);
    }

    @Override
    public ChunkerParams params() {
        return params;
    }

    /**
     * A mask with {@code bits} ones spread evenly over bit positions 15..62:
     * position {@code 62 - (i * 48) / bits} for {@code i = 0 .. bits-1}.
     */
    static long spreadMask(int bits) {
        long mask = 0;
        for (int i = 0; i < bits; i++) {
            mask |= 1L << (62 - (i * 48) / bits);
        }
        return mask;
    }

    long maskStrict() {
        return maskStrict;
    }

    long maskLoose() {
        return maskLoose;
    }

    long[] gear() {
        return gear;
    }

    @Override
    public int cut(byte[] data, int offset, int length) {
        int min = params.minSize();
        if (length <= min) {
            return length;
        }
        int limit = Math.min(length, params.maxSize());
        int normal = Math.min(limit, params.avgSize());
        long h = 0;
        int p = min;
        // Strict mask up to the average size, loose after it; two bytes per step in each region.
        long m = maskStrict;
        long mShifted = m << 1;
        int end = normal;
        for (int region = 0; region < 2; region++) {
            int pairsEnd = p + ((end - p) & ~1);
            while (p < pairsEnd) {
                h = (h << 2) + gearShifted[data[offset + p] & 0xFF];
                if ((h & mShifted) == 0) {
                    return p + 1;
                }
                h += gear[data[offset + p + 1] & 0xFF];
                if ((h & m) == 0) {
                    return p + 2;
                }
                p += 2;
            }
            if (p < end) {
                h = (h << 1) + gear[data[offset + p] & 0xFF];
                if ((h & m) == 0) {
                    return p + 1;
                }
                p++;
            }
            m = maskLoose;
            mShifted = m << 1;
            end = limit;
        }
        return limit;
    }
}
