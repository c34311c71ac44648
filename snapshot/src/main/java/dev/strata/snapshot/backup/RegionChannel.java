package dev.strata.snapshot.backup;

import dev.strata.snapshot.backup.filter.IoReasons;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads one region of a file (a data extent) as a stream, counting the bytes and marking read
 * failures as the source's. Confined to one thread.
 */
final class RegionChannel implements ReadableByteChannel {
    private final FileChannel file;
    private final String path;
    private final java.util.function.LongConsumer onRead;
    private long position;
    private long remaining;

    RegionChannel(FileChannel file, String path, long offset, long length, java.util.function.LongConsumer onRead) {
        this.file = file;
        this.path = path;
        this.position = offset;
        this.remaining = length;
        this.onRead = onRead;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int limit = dst.limit();
        if (dst.remaining() > remaining) {
            dst.limit(dst.position() + (int) remaining);
        }
        int n;
        try {
            n = file.read(dst, position);
        } catch (IOException e) {
            throw new SourceReadException("cannot read at offset " + position + ", not saved: " + IoReasons.of(e), e);
        } finally {
            dst.limit(limit);
        }
        if (n < 0) {
            remaining = 0;
            return -1;
        }
        position += n;
        remaining -= n;
        onRead.accept(n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() {
        // The file channel belongs to the caller.
    }
}
