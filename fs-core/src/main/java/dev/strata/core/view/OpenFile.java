package dev.strata.core.view;

import java.io.IOException;

/** A file opened for reading in a view. Thread-safe: FUSE may read one handle from several threads. */
public interface OpenFile extends AutoCloseable {

    /**
     * Reads up to {@code length} bytes at {@code offset} into {@code sink}; returns how many, fewer only
     * at the end of the file.
     */
    int read(long offset, int length, ReadSink sink) throws IOException;

    @Override
    void close();
}
