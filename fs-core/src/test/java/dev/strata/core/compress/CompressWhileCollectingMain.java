package dev.strata.core.compress;

import dev.strata.core.error.CorruptDataException;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Run by {@link ZstdCompressorGcTest} in a child JVM: two threads compress compressible 1 MiB chunks
 * and decompress them again while the main thread allocates, so that the collector runs many times while compression is under
 * way; prints the number of chunks compressed and the number of arrays kept alive.
 */
final class CompressWhileCollectingMain {
    private CompressWhileCollectingMain() {
    }

    public static void main(String[] args) throws Exception {
        ZstdCompressor zstd = new ZstdCompressor(ZstdCompressor.DEFAULT_LEVEL);
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(7);
        String words = "backup restore snapshot chunk pack index tree folder ";
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) words.charAt(random.nextInt(words.length()));
        }
        // Loading zstd-jni's classes and native library inflates them from its jar, and the JDK's
        // inflater pins arrays too: done before the measured part.
        Compressed first = zstd.compress(chunk, 0, chunk.length);
        zstd.decompress(first.code(), first.data(), first.offset(), first.length(), chunk.length);
        AtomicBoolean stop = new AtomicBoolean();
        long[] counts = new long[2];
        Thread[] workers = new Thread[2];
        for (int w = 0; w < workers.length; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Compressed c = zstd.compress(chunk, 0, chunk.length);
                        if (c.code() != CompressionCode.ZSTD) {
                            throw new AssertionError("text did not compress");
                        }
                        zstd.decompress(c.code(), c.data(), c.offset(), c.length(), chunk.length);
                        counts[id]++;
                    }
                } catch (CorruptDataException e) {
                    throw new AssertionError(e);
                }
            });
            workers[w].start();
        }
        long until = System.nanoTime() + 2_000_000_000L;
        byte[][] keep = new byte[16][];
        int i = 0;
        while (System.nanoTime() < until) {
            keep[i++ & 15] = new byte[256 * 1024];
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        System.out.println(counts[0] + counts[1] + " " + keep.length);
    }
}
