package dev.strata.image.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.image.browse.ByteSource;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A partition of a stored image as a {@link ByteSource}: reads go through the view's chunk reader
 * (a cache of decoded chunks, holes as zeros), so a filesystem reader fetches only the chunks its
 * blocks lie in. Thread-safe.
 */
final class PartitionSource implements ByteSource {
    private final OpenFile partition;
    private final long size;

    PartitionSource(OpenFile partition, long size) {
        this.partition = partition;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        if (position < 0 || length < 0 || position > size - length) {
            throw new EOFException("read of " + length + " bytes at " + position + " is outside the partition of " + size + " bytes");
        }
        int done = 0;
        while (done < length) {
            int base = offset + done;
            int n = partition.read(position + done, length - done, new ReadSink() {
                @Override
                public void put(int at, byte[] src, int srcOffset, int count) {
                    System.arraycopy(src, srcOffset, dst, base + at, count);
                }

                @Override
                public void zero(int at, int count) {
                    Arrays.fill(dst, base + at, base + at + count, (byte) 0);
                }
            });
            if (n <= 0) {
                throw new EOFException("the partition ended at " + (position + done));
            }
            done += n;
        }
    }
}
