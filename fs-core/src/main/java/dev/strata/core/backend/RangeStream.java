package dev.strata.core.backend;

import java.io.IOException;
import java.io.InputStream;

/**
 * A range of a blob read in pieces with {@link Backend#read}, each piece when the reader gets to it:
 * the stream {@link Backend#openRange} gives by default. Not thread-safe.
 */
final class RangeStream extends InputStream {
    /** Bytes per read: large enough that a local read is cheap per byte, small enough to hold per reader. */
    static final int PIECE = 1 << 20;

    private final Backend backend;
    private final BlobName name;
    private long next;
    private final long end;
    private byte[] piece = new byte[0];
    private int at;

    RangeStream(Backend backend, BlobName name, long offset, long length) {
        this.backend = backend;
        this.name = name;
        this.next = offset;
        this.end = offset + length;
    }

    private boolean fill() throws IOException {
        if (at < piece.length) {
            return true;
        }
        if (next >= end) {
            return false;
        }
        int n = (int) Math.min(PIECE, end - next);
        piece = backend.read(name, next, n);
        next += n;
        at = 0;
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? piece[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, piece.length - at);
        System.arraycopy(piece, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long inPiece = Math.min(n, piece.length - at);
        at += (int) inPiece;
        long beyond = Math.min(n - inPiece, end - next);
        next += beyond;
        return inPiece + beyond;
    }

    @Override
    public int available() {
        return piece.length - at;
    }
}
