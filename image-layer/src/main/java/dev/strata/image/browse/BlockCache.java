package dev.strata.image.browse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata blocks read last (inode tables, extent nodes, descriptors), so that walking a
 * folder does not fetch the same block from the store again for every inode. Blocks handed out
 * must not be changed. Bounded to about 8 MiB. Thread-safe.
 */
final class BlockCache {
    private static final long BYTES = 8L << 20;

    private final ByteSource source;
    private final int blockSize;
    private final Map<Long, byte[]> blocks;

    BlockCache(ByteSource source, int blockSize) {
        this.source = source;
        this.blockSize = blockSize;
        int capacity = (int) Math.max(16, BYTES / blockSize);
        this.blocks = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Block {@code n}; the caller has checked that it lies inside the filesystem. */
    byte[] block(long n) throws IOException {
        synchronized (blocks) {
            byte[] b = blocks.get(n);
            if (b != null) {
                return b;
            }
        }
        byte[] b = new byte[blockSize];
        source.readFully(n * blockSize, b, 0, blockSize);
        synchronized (blocks) {
            blocks.put(n, b);
        }
        return b;
    }
}
