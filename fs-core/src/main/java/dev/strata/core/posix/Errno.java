package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The errno values this package tests for, and the one table that turns an errno into the JDK's
 * exception for it. Stateless and thread-safe.
 *
 * <p>The numbers are Linux's generic ones ({@code asm-generic/errno-base.h} and
 * {@code asm-generic/errno.h}); see the package documentation for the architectures they fit.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ERANGE = 34;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ENODATA = 61;
    /** Also ENOTSUP, which Linux gives the same number. */
    static final int EOPNOTSUPP = 95;

    private Errno() {
    }

    /**
     * The exception for {@code errno} from an operation on {@code path}.
     *
     * @param reason what failed and why, e.g. {@code "lstat: No such file or directory"}; it
     *     appears in the message after the path
     */
    static IOException toException(int errno, Path path, String reason) {
        String file = PathBytes.printable(path);
        switch (errno) {
            case ENOENT:
                return new NoSuchFileException(file, null, reason);
            case EACCES:
            case EPERM:
                return new AccessDeniedException(file, null, reason);
            case EEXIST:
                return new FileAlreadyExistsException(file, null, reason);
            case ENOTDIR:
                return withReason(new NotDirectoryException(file), file, reason);
            case ENOTEMPTY:
                return withReason(new DirectoryNotEmptyException(file), file, reason);
            default:
                return new FileSystemException(file, null, reason);
        }
    }

    // These two take no reason; getFile() must stay the bare path, so the reason rides as the cause.
    private static IOException withReason(FileSystemException e, String file, String reason) {
        e.initCause(new FileSystemException(file, null, reason));
        return e;
    }
}
