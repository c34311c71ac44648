package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An open file descriptor, close-on-exec, closed exactly once. Confined to one thread, or
 * guarded by its owner.
 */
final class NativeFd implements AutoCloseable {
    private final Libc.Functions libc;
    private final int fd;
    private boolean closed;

    private NativeFd(Libc.Functions libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    static NativeFd openReadOnly(Libc.Functions libc, NativeErrors errors, Path path) throws IOException {
        return open(libc, errors, path, Libc.O_RDONLY);
    }

    /** Opens with {@code flags} (close-on-exec is added), retrying when interrupted. */
    static NativeFd open(Libc.Functions libc, NativeErrors errors, Path path, int flags) throws IOException {
        byte[] name = NativePath.of(path);
        while (true) {
            int fd = libc.open(name, flags | Libc.O_CLOEXEC);
            if (fd >= 0) {
                return new NativeFd(libc, fd);
            }
            int errno = errors.errno();
            if (errno != Errno.EINTR) {
                throw errors.exception(errno, "open", path);
            }
        }
    }

    int fd() {
        if (closed) {
            throw new IllegalStateException("descriptor closed");
        }
        return fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            // Linux releases the descriptor even when close fails, so there is nothing to retry.
            libc.close(fd);
        }
    }
}
