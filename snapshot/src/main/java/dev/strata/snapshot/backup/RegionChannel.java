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
    /**
     * The most one read asks for. The JDK reads into a heap buffer through a direct buffer of the
     * read's size, which it keeps per thread: reads as large as the chunker's window (16 MiB) would
     * keep 16 MiB of native memory per reading thread.
     */
    static final int MAX_READ = 1 << 20;

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
        long wanted = Math.min(Math.min(dst.remaining(), remaining), MAX_READ);
        dst.limit(dst.position() + (int) wanted);
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
