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
        copy(partition, position, length, new ReadSink() {
            @Override
            public void put(int at, byte[] src, int srcOffset, int count) {
                System.arraycopy(src, srcOffset, dst, offset + at, count);
            }

            @Override
            public void zero(int at, int count) {
                Arrays.fill(dst, offset + at, offset + at + count, (byte) 0);
            }
        }, 0);
    }

    /**
     * Puts {@code length} bytes of {@code partition} from {@code position} into {@code sink} from
     * {@code at}, in as many reads as the partition's reader takes (one per chunk at most).
     */
    static void copy(OpenFile partition, long position, int length, ReadSink sink, int at) throws IOException {
        int done = 0;
        while (done < length) {
            int base = at + done;
            int n = partition.read(position + done, length - done, new ReadSink() {
                @Override
                public void put(int to, byte[] src, int srcOffset, int count) {
                    sink.put(base + to, src, srcOffset, count);
                }

                @Override
                public void zero(int to, int count) {
                    sink.zero(base + to, count);
                }
            });
            if (n <= 0) {
                throw new EOFException("the partition ended at " + (position + done));
            }
            done += n;
        }
    }
}
