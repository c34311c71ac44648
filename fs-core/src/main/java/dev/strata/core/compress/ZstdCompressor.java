package dev.strata.core.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.strata.core.error.CorruptDataException;

/**
 * zstd through zstd-jni with one compression and one decompression context per thread, reused for
 * every chunk. Chunks of 64 KiB or more are first probed with a 32 KiB sample at level 1; when the
 * sample does not shrink by 3 % the chunk is stored raw without a full pass (docs/format.md §8).
 * Thread-safe.
 */
public final class ZstdCompressor implements Compressor {
    public static final int DEFAULT_LEVEL = 3;
    static final int SAMPLE_THRESHOLD = 64 * 1024;
    static final int SAMPLE_SLICE = 8 * 1024;
    static final int SAMPLE_SLICES = 4;
    /** A sample that compresses to more than this fraction is taken to be incompressible. */
    static final double SAMPLE_MAX_RATIO = 0.97;

    private final int level;
    private final ThreadLocal<ZstdCompressCtx> compressors;
    private final ThreadLocal<ZstdCompressCtx> probes;
    private final ThreadLocal<ZstdDecompressCtx> decompressors = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    private final ThreadLocal<byte[][]> scratch = ThreadLocal.withInitial(() -> new byte[1][]);
    private final ThreadLocal<byte[]> sampleBuffers = ThreadLocal.withInitial(
            () -> new byte[SAMPLE_SLICE * SAMPLE_SLICES]);
    private final ThreadLocal<byte[]> sampleOut = ThreadLocal.withInitial(
            () -> new byte[(int) Zstd.compressBound(SAMPLE_SLICE * SAMPLE_SLICES)]);

    public ZstdCompressor(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("zstd level must be 1..19, got " + level);
        }
        this.level = level;
        this.compressors = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(level));
        this.probes = ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(1));
    }

    public int level() {
        return level;
    }

    @Override
    public Compressed compress(byte[] src, int offset, int length) {
        if (length == 0 || (length >= SAMPLE_THRESHOLD && !sampleCompresses(src, offset, length))) {
            return new Compressed(CompressionCode.NONE, src, offset, length);
        }
        byte[] out = scratchFor(length);
        int n;
        try {
            n = compressors.get().compressByteArray(out, 0, out.length, src, offset, length);
        } catch (ZstdException e) {
            throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
        }
        if (n >= length) {
            return new Compressed(CompressionCode.NONE, src, offset, length);
        }
        return new Compressed(CompressionCode.ZSTD, out, 0, n);
    }

    /** Whether four slices of the chunk, compressed together at level 1, shrink enough to bother. */
    boolean sampleCompresses(byte[] src, int offset, int length) {
        byte[] sample = sampleBuffers.get();
        int step = length / SAMPLE_SLICES;
        for (int i = 0; i < SAMPLE_SLICES; i++) {
            int from = offset + Math.min(i * step, length - SAMPLE_SLICE);
            System.arraycopy(src, from, sample, i * SAMPLE_SLICE, SAMPLE_SLICE);
        }
        byte[] out = sampleOut.get();
        int n = probes.get().compressByteArray(out, 0, out.length, sample, 0, sample.length);
        return n < SAMPLE_MAX_RATIO * sample.length;
    }

    @Override
    public byte[] decompress(CompressionCode code, byte[] src, int offset, int length, int rawLength)
            throws CorruptDataException {
        if (code == CompressionCode.NONE) {
            if (length != rawLength) {
                throw new CorruptDataException("raw payload of " + length + " bytes, expected " + rawLength);
            }
            byte[] out = new byte[length];
            System.arraycopy(src, offset, out, 0, length);
            return out;
        }
        // A frame that names another size is damaged: found before allocating what it claims.
        long declared = Zstd.getFrameContentSize(src, offset, length);
        if (declared >= 0 && declared != rawLength) {
            throw new CorruptDataException("zstd frame declares " + declared + " bytes, expected " + rawLength);
        }
        byte[] out = new byte[rawLength];
        int n;
        try {
            n = decompressors.get().decompressByteArray(out, 0, rawLength, src, offset, length);
        } catch (ZstdException e) {
            throw new CorruptDataException("zstd payload does not decode: " + e.getMessage(), e);
        }
        if (n != rawLength) {
            throw new CorruptDataException("zstd payload decodes to " + n + " bytes, expected " + rawLength);
        }
        return out;
    }

    private byte[] scratchFor(int length) {
        byte[][] holder = scratch.get();
        int bound = (int) Zstd.compressBound(length);
        if (holder[0] == null || holder[0].length < bound) {
            holder[0] = new byte[Math.max(bound, (int) Zstd.compressBound(1 << 20))];
        }
        return holder[0];
    }
}
