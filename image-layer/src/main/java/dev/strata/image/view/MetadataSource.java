package dev.strata.image.view;

import dev.strata.image.browse.ByteSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A partition's bytes for a filesystem reader's metadata (inode tables, folder and extent blocks, FAT
 * tables): small reads are served from aligned windows of {@value #WINDOW} bytes, the few hundred most
 * recently read kept, so that walking a filesystem decodes each stored chunk about once instead of once
 * per block, while the decoded chunks themselves are not kept (see {@code ContentReader.Access.SCATTERED}).
 * The inodes of a folder lie in a few windows of its inode table, and a folder's blocks next to each
 * other. Reads of a window or more (a file's contents through the filesystem reader) go straight to
 * the partition. Bounded to {@value #CACHED_BYTES} bytes. Thread-safe.
 */
final class MetadataSource implements ByteSource {
    static final int WINDOW = 64 << 10;
    static final long CACHED_BYTES = 4L << 20;

    private final ByteSource partition;
    private final Map<Long, byte[]> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_BYTES / WINDOW;
        }
    };

    MetadataSource(ByteSource partition) {
        this.partition = partition;
    }

    @Override
    public long size() {
        return partition.size();
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        if (length >= WINDOW || position < 0 || length < 0 || position > size() - length) {
            // Large reads are not metadata; a read outside the partition fails there, with its message.
            partition.readFully(position, dst, offset, length);
            return;
        }
        int done = 0;
        while (done < length) {
            long at = position + done;
            byte[] w = window(at / WINDOW);
            int inWindow = (int) (at % WINDOW);
            int n = Math.min(length - done, w.length - inWindow);
            System.arraycopy(w, inWindow, dst, offset + done, n);
            done += n;
        }
    }

    private byte[] window(long index) throws IOException {
        synchronized (windows) {
            byte[] w = windows.get(index);
            if (w != null) {
                return w;
            }
        }
        long start = index * WINDOW;
        // The last window ends with the partition.
        byte[] w = new byte[(int) Math.min(WINDOW, size() - start)];
        partition.readFully(start, w, 0, w.length);
        synchronized (windows) {
            windows.put(index, w);
        }
        return w;
    }
}
