package dev.strata.core.backend.s3;

import software.amazon.awssdk.core.sync.RequestBody;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A byte range of a local file as a request body that the SDK can send again on a retry (each try
 * opens the file anew), so a part of a pack never sits in memory whole. Immutable.
 */
record FileRegion(Path file, long offset, long length) {

    RequestBody body() {
        return RequestBody.fromContentProvider(() -> {
            try {
                return open();
            } catch (IOException e) {
                throw new UncheckedIOException("read " + file + " at " + offset, e);
            }
        }, length, "application/octet-stream");
    }

    /** The base64 MD5 of the range, sent as Content-MD5 so the server refuses a body damaged on the way. */
    String md5() throws IOException {
        MessageDigest md5 = newMd5();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md5.update(buf, 0, n);
            }
        }
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    static String md5(byte[] data) {
        return Base64.getEncoder().encodeToString(newMd5().digest(data));
    }

    private InputStream open() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return new FilterInputStream(Channels.newInputStream(ch)) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(Math.min(n, left));
                left -= s;
                return s;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }
        };
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
