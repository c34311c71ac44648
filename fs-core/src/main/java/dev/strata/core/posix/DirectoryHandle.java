package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A directory held open ({@code O_PATH}) so that what lies below it can be named by a short path:
 * {@code /proc/self/fd/N/name} reaches {@code dir/name} however long {@code dir} is. Linux limits
 * each path given to a system call to 4,096 bytes, not the depth of a tree, so a restore into a
 * deep target goes on below such a handle. The handle's own {@link #path} is a link in /proc: use
 * it for what is inside the directory, never for the directory's own metadata. Thread-safe; closed
 * once.
 */
public final class DirectoryHandle implements AutoCloseable {
    private final NativeFd fd;
    private final Path path;

    private DirectoryHandle(NativeFd fd) {
        this.fd = fd;
        this.path = Path.of("/proc/self/fd/" + fd.fd());
    }

    /** Opens the directory {@code dir} itself, never following a symlink there. */
    static DirectoryHandle open(Libc.Functions libc, NativeErrors errors, Path dir) throws IOException {
        return new DirectoryHandle(NativeFd.open(libc, errors, dir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_NOFOLLOW));
    }

    /** {@code /proc/self/fd/N}: a short path for the directory, to resolve names below it. */
    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        fd.close();
    }
}
