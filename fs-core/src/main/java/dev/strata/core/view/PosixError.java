package dev.strata.core.view;

/**
 * The POSIX errors a view's write calls give, named as in {@code errno.h}; the FUSE adapter turns
 * each into its errno. Views that cannot say it with a {@code java.nio.file} exception use these.
 */
public enum PosixError {
    EPERM, ENOENT, EIO, EBADF, EACCES, EEXIST, EXDEV, ENOTDIR, EISDIR, EINVAL, EFBIG, ENOSPC, EROFS, EMLINK,
    ERANGE, ENAMETOOLONG, ENOTEMPTY, ENODATA, ENOTSUP, E2BIG
}
