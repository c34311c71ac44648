package dev.strata.image.browse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** A {@link ByteSource} over an image file, or over a byte array for mutated images. Thread-safe. */
final class FileSource implements ByteSource, AutoCloseable {
    private final RandomAccessFile file;
    private final byte[] bytes;

    private FileSource(RandomAccessFile file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    static FileSource of(Path p) throws IOException {
        return new FileSource(new RandomAccessFile(p.toFile(), "r"), null);
    }

    static FileSource of(byte[] b) {
        return new FileSource(null, b);
    }

    @Override
    public long size() {
        try {
            return bytes != null ? bytes.length : file.length();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        if (position < 0 || position + length > size()) {
            throw new IOException("read of " + length + " bytes at " + position + " is outside the source");
        }
        if (bytes != null) {
            System.arraycopy(bytes, (int) position, dst, offset, length);
            return;
        }
        file.seek(position);
        file.readFully(dst, offset, length);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
