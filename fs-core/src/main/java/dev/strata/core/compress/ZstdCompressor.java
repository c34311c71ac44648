package dev.strata.core.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.strata.core.error.CorruptDataException;

import java.nio.ByteBuffer;

/**
 * zstd through zstd-jni with one compression and one decompression context per thread, reused for
 * every chunk. Chunks of 64 KiB or more are first probed with a 32 KiB sample at level 1; when the
 * sample does not shrink by 3 % the chunk is stored raw without a full pass (docs/format.md §8).
 * Compression and decompression reach zstd through small direct buffers, a slice at a time, never
 * through the chunk's array: zstd-jni pins a Java array with a JNI critical section, and while one is open the
 * JVM cannot collect, so a backup's other threads grew the heap instead (by hundreds of megabytes on
 * a 1 GB tree, docs/benchmarks.md). Thread-safe.
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
    private final ThreadLocal<DirectSlices> slices = ThreadLocal.withInitial(DirectSlices::new);

    public ZstdCompressor(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("zstd level must be 1..19, got " + level);
        }
        this.level = level;
        this.compressors = ThreadLocal.withInitial(ZstdCompressCtx::new);
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
            n = compressInSlices(compressors.get(), out, src, offset, length);
        } catch (ZstdException e) {
            throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
        }
        if (n < 0 || n >= length) {
            return new Compressed(CompressionCode.NONE, src, offset, length);
        }
        return new Compressed(CompressionCode.ZSTD, out, 0, n);
    }

    /**
     * One zstd frame of {@code src[offset, offset + length)} into {@code dst}, fed and drained a slice
     * at a time through this thread's direct buffers. The frame declares its content size, and zstd
     * picks the same parameters as for a one-shot compression of that size. Returns the frame's
     * length, or -1 when it would not fit in {@code dst}.
     */
    private int compressInSlices(ZstdCompressCtx ctx, byte[] dst, byte[] src, int offset, int length) {
        // A context left mid-frame by a failure must not continue it: every frame starts afresh.
        ctx.reset();
        ctx.setLevel(level);
        ctx.setPledgedSrcSize(length);
        DirectSlices s = slices.get();
        ByteBuffer in = s.in.clear().limit(0);
        ByteBuffer out = s.out;
        int next = offset;
        int end = offset + length;
        int written = 0;
        while (true) {
            if (!in.hasRemaining() && next < end) {
                int n = Math.min(DirectSlices.SLICE, end - next);
                in.clear();
                in.put(src, next, n).flip();
                next += n;
            }
            boolean last = next == end;
            out.clear();
            boolean finished = ctx.compressDirectByteBufferStream(out, in, last ? EndDirective.END : EndDirective.CONTINUE);
            out.flip();
            if (written + out.remaining() > dst.length) {
                ctx.reset();
                return -1;
            }
            int n = out.remaining();
            out.get(dst, written, n);
            written += n;
            if (last && finished) {
                return written;
            }
        }
    }

    /** Whether four slices of the chunk, compressed together at level 1, shrink enough to bother. */
    boolean sampleCompresses(byte[] src, int offset, int length) {
        DirectSlices s = slices.get();
        ByteBuffer sample = s.in.clear();
        int step = length / SAMPLE_SLICES;
        for (int i = 0; i < SAMPLE_SLICES; i++) {
            int from = offset + Math.min(i * step, length - SAMPLE_SLICE);
            sample.put(src, from, SAMPLE_SLICE);
        }
        int sampled = sample.position();
        int n = probes.get().compressDirectByteBuffer(s.out.clear(), 0, s.out.capacity(), sample, 0, sampled);
        return n < SAMPLE_MAX_RATIO * sampled;
    }

    /** A thread's pair of direct buffers: a slice of input and room for its compressed form. */
    private static final class DirectSlices {
        static final int SLICE = 128 * 1024;
        final ByteBuffer in = ByteBuffer.allocateDirect(SLICE);
        final ByteBuffer out = ByteBuffer.allocateDirect((int) Zstd.compressBound(SLICE));
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
        long declared = ZstdFrames.declaredContentSize(src, offset, length);
        if (declared >= 0 && declared != rawLength) {
            throw new CorruptDataException("zstd frame declares " + declared + " bytes, expected " + rawLength);
        }
        byte[] out = new byte[rawLength];
        ZstdDecompressCtx ctx = decompressors.get();
        int n;
        try {
            n = decompressInSlices(ctx, out, src, offset, length);
        } catch (ZstdException e) {
            throw new CorruptDataException("zstd payload does not decode: " + e.getMessage(), e);
        }
        if (n != rawLength) {
            throw new CorruptDataException("zstd payload decodes to " + n + " bytes, expected " + rawLength);
        }
        return out;
    }

    /**
     * Decodes the one zstd frame of {@code src[offset, offset + length)} into {@code dst}, a slice at
     * a time through this thread's direct buffers, as {@link #compressInSlices} encodes. Returns the
     * bytes decoded; a frame that decodes to more than {@code dst} holds, ends early, or is followed
     * by more bytes is damaged.
     */
    private int decompressInSlices(ZstdDecompressCtx ctx, byte[] dst, byte[] src, int offset, int length)
            throws CorruptDataException {
        // A context left mid-frame by damaged input must not continue it.
        ctx.reset();
        DirectSlices s = slices.get();
        ByteBuffer in = s.in.clear().limit(0);
        ByteBuffer out = s.out;
        int next = offset;
        int end = offset + length;
        int written = 0;
        while (true) {
            if (!in.hasRemaining() && next < end) {
                int n = Math.min(DirectSlices.SLICE, end - next);
                in.clear();
                in.put(src, next, n).flip();
                next += n;
            }
            out.clear();
            boolean finished = ctx.decompressDirectByteBufferStream(out, in);
            out.flip();
            int n = out.remaining();
            if (written + n > dst.length) {
                throw new CorruptDataException("zstd payload decodes to more than " + dst.length + " bytes, expected "
                        + dst.length);
            }
            out.get(dst, written, n);
            written += n;
            int left = in.remaining() + (end - next);
            if (finished) {
                if (left > 0) {
                    throw new CorruptDataException("zstd payload has " + left + " bytes after its frame");
                }
                return written;
            }
            // Output that did not fill the buffer is all the decoder could give for the input so far.
            if (left == 0 && n < out.capacity()) {
                throw new CorruptDataException("zstd payload ends inside its frame, after " + written + " bytes");
            }
        }
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
