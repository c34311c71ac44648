package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads file metadata with {@code statx}, by path or by open descriptor. Thread-safe.
 */
final class StatReader {
    private static final int MASK = StatxLayout.STATX_BASIC_STATS | StatxLayout.STATX_BTIME;
    private static final byte[] EMPTY_PATH = {0};

    private final Libc.Functions libc;
    private final NativeErrors errors;

    StatReader(Libc.Functions libc, NativeErrors errors) {
        this.libc = libc;
        this.errors = errors;
    }

    FileStatus stat(Path path, boolean followLinks) throws IOException {
        byte[] buffer = new byte[StatxLayout.SIZE];
        int flags = followLinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW;
        if (libc.statx(Libc.AT_FDCWD, NativePath.of(path), flags, MASK, buffer) != 0) {
            throw errors.last(followLinks ? "stat" : "lstat", path);
        }
        return StatxLayout.decode(buffer);
    }

    /** The status of the file open as {@code fd}; {@code path} only names it in errors. */
    FileStatus stat(NativeFd fd, Path path) throws IOException {
        byte[] buffer = new byte[StatxLayout.SIZE];
        if (libc.statx(fd.fd(), EMPTY_PATH, Libc.AT_EMPTY_PATH, MASK, buffer) != 0) {
            throw errors.last("fstat", path);
        }
        return StatxLayout.decode(buffer);
    }
}
