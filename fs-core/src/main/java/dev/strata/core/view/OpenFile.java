package dev.strata.core.view;

import java.io.IOException;

/** A file opened for reading in a view. Thread-safe: FUSE may read one handle from several threads. */
public interface OpenFile extends AutoCloseable {

    /**
     * Reads up to {@code length} bytes at {@code offset} into {@code sink}; returns how many, fewer only
     * at the end of the file.
     */
    int read(long offset, int length, ReadSink sink) throws IOException;

    /** Writes {@code length} bytes of {@code src} at {@code offset}; immutable views refuse. */
    default int write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        throw new java.nio.file.ReadOnlyFileSystemException();
    }

    /** Sets the file's size (ftruncate): cut, or extended with zeros; immutable views refuse. */
    default void truncate(long size) throws IOException {
        throw new java.nio.file.ReadOnlyFileSystemException();
    }

    /** Makes what was written durable (fsync); nothing to do for immutable views. */
    default void sync() throws IOException {
    }

    @Override
    void close();
}
