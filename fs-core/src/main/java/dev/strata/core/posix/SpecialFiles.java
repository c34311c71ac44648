package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Creates device nodes, fifos and socket files ({@code mknod}, {@code mkfifo}). Thread-safe.
 * The process umask applies to the permissions, as it does in C; restore sets them afterwards.
 */
final class SpecialFiles {
    private final Libc.Functions libc;
    private final NativeErrors errors;

    SpecialFiles(Libc.Functions libc, NativeErrors errors) {
        this.libc = libc;
        this.errors = errors;
    }

    void mknod(Path path, int mode, long rdev) throws IOException {
        int type = FileMode.type(mode);
        if (type != FileMode.S_IFCHR && type != FileMode.S_IFBLK
                && type != FileMode.S_IFIFO && type != FileMode.S_IFSOCK) {
            throw new IllegalArgumentException("mknod makes devices, fifos and sockets, not mode 0"
                    + Integer.toOctalString(mode));
        }
        if (libc.mknod(NativePath.of(path), mode, rdev) != 0) {
            throw errors.last("mknod", path);
        }
    }

    void mkfifo(Path path, int permissions) throws IOException {
        FileMode.requirePermissions(permissions);
        if (libc.mkfifo(NativePath.of(path), permissions) != 0) {
            throw errors.last("mkfifo", path);
        }
    }
}
