package dev.strata.image.browse;

import java.io.IOException;

/** Random-access bytes a filesystem is read from (a partition of a stored image). Thread-safe. */
public interface ByteSource {
    long size();

    /** Reads exactly {@code length} bytes at {@code position}, which lies within {@link #size()}. */
    void readFully(long position, byte[] dst, int offset, int length) throws IOException;
}
