package dev.strata.core.backend.s3;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a ranged GET as exactly the bytes asked for: one that ends early is an
 * {@link EOFException}, never a shorter range; a server that ignored the range and sends the whole
 * object is read past the bytes before it. Closing before the end aborts the transfer (the
 * connection is dropped rather than drained). Not thread-safe.
 */
final class RangeBody extends InputStream {
    private final ResponseInputStream<GetObjectResponse> body;
    private final String what;
    private final long length;
    private long delivered;
    private boolean positioned;
    private final long offset;

    RangeBody(ResponseInputStream<GetObjectResponse> body, String what, long offset, long length) {
        this.body = body;
        this.what = what;
        this.offset = offset;
        this.length = length;
    }

    /** Skips what precedes the range when the server sent the whole object. */
    private void position() throws IOException {
        if (positioned) {
            return;
        }
        positioned = true;
        if (body.response().contentRange() == null && offset > 0) {
            long skipped = body.skip(offset);
            while (skipped < offset) {
                if (body.read() < 0) {
                    throw new EOFException(what + ": the object ends before the range");
                }
                skipped++;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (delivered >= length) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        position();
        int n = body.read(b, off, (int) Math.min(len, length - delivered));
        if (n < 0) {
            throw new EOFException(what + ": the answer ended after " + delivered + " of " + length + " bytes");
        }
        delivered += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (delivered < length) {
            body.abort();
        }
        body.close();
    }
}
