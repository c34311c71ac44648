package dev.strata.fstests;

import java.util.Map;

/** Linux errno values the POSIX tests expect, and their names for traces. Stateless. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int EMLINK = 31;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ENODATA = 61;
    static final int EOPNOTSUPP = 95;
    static final int ENOTCONN = 107;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(EPERM, "EPERM"),
            Map.entry(ENOENT, "ENOENT"), Map.entry(EIO, "EIO"), Map.entry(EBADF, "EBADF"), Map.entry(EACCES, "EACCES"),
            Map.entry(EEXIST, "EEXIST"), Map.entry(EXDEV, "EXDEV"), Map.entry(ENOTDIR, "ENOTDIR"),
            Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"), Map.entry(EFBIG, "EFBIG"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"), Map.entry(EMLINK, "EMLINK"),
            Map.entry(ERANGE, "ERANGE"), Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ENOTEMPTY, "ENOTEMPTY"),
            Map.entry(ELOOP, "ELOOP"), Map.entry(ENODATA, "ENODATA"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
            Map.entry(ENOTCONN, "ENOTCONN"), Map.entry(26, "ETXTBSY"), Map.entry(14, "EFAULT"), Map.entry(7, "E2BIG"),
            Map.entry(29, "ESPIPE"), Map.entry(19, "ENODEV"),
            Map.entry(103, "ECONNABORTED"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }
}
