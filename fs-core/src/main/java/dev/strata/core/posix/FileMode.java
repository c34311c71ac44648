package dev.strata.core.posix;

/**
 * The file type and permission bits of {@code st_mode}, as constants and predicates. Stateless and
 * thread-safe. The values are the same on every Linux architecture.
 */
public final class FileMode {
    /** Mask of the file type bits. */
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    /** Mask of the permission bits, including set-user-id, set-group-id and sticky. */
    public static final int PERMISSIONS = 07777;

    private FileMode() {
    }

    /** The file type bits of {@code mode}, one of the {@code S_IF*} constants. */
    public static int type(int mode) {
        return mode & S_IFMT;
    }

    /** The permission bits of {@code mode}. */
    public static int permissions(int mode) {
        return mode & PERMISSIONS;
    }

    static void requirePermissions(int perm) {
        if ((perm & ~PERMISSIONS) != 0) {
            throw new IllegalArgumentException("not permission bits: 0" + Integer.toOctalString(perm));
        }
    }
}
