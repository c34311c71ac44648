package dev.strata.fstests;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int32_t;
import jnr.ffi.types.uid_t;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The C library calls the POSIX tests make, bound with jnr-ffi so that every case sees the exact
 * return value and errno (the JDK turns both into exceptions with a message). Paths are passed as
 * NUL-terminated bytes. x86-64 Linux layouts. Thread-safe: errno is saved per thread.
 */
final class Libc {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int SEEK_SET = 0;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;

    /** The bound functions; public because jnr-ffi implements it in another class loader. */
    public interface Functions {
        @Variadic(fixedCount = 2)
        int open(@In byte[] path, int flags, @mode_t int mode);

        int close(int fd);

        @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

        @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

        @ssize_t long pread(int fd, @Out byte[] buf, @size_t long count, @off_t long offset);

        @ssize_t long pwrite(int fd, @In byte[] buf, @size_t long count, @off_t long offset);

        @off_t long lseek(int fd, @off_t long offset, int whence);

        int mkdir(@In byte[] path, @mode_t int mode);

        int rmdir(@In byte[] path);

        int rename(@In byte[] from, @In byte[] to);

        int link(@In byte[] existing, @In byte[] name);

        int symlink(@In byte[] target, @In byte[] name);

        @ssize_t long readlink(@In byte[] path, @Out byte[] buf, @size_t long size);

        int unlink(@In byte[] path);

        int truncate(@In byte[] path, @off_t long length);

        int ftruncate(int fd, @off_t long length);

        int chmod(@In byte[] path, @mode_t int mode);

        int fchmod(int fd, @mode_t int mode);

        int chown(@In byte[] path, @uid_t int uid, @gid_t int gid);

        int lchown(@In byte[] path, @uid_t int uid, @gid_t int gid);

        int fchown(int fd, @uid_t int uid, @gid_t int gid);

        int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        int futimens(int fd, @In long[] times);

        int mkfifo(@In byte[] path, @mode_t int mode);

        int mknod(@In byte[] path, @mode_t int mode, @dev_t long dev);

        int fsync(int fd);

        int fdatasync(int fd);

        int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, @size_t long size, int flags);

        @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

        @ssize_t long llistxattr(@In byte[] path, @Out byte[] list, @size_t long size);

        int lremovexattr(@In byte[] path, @In byte[] name);

        int statx(int dirfd, @In byte[] path, int flags, @u_int32_t int mask, @Out byte[] statxbuf);

        int statfs(@In byte[] path, @Out byte[] buf);

        int setfsuid(@uid_t int uid);

        int setfsgid(@gid_t int gid);

        @mode_t int umask(@mode_t int mask);
    }

    private static final Functions FUNCTIONS = LibraryLoader.create(Functions.class).option(LibraryOption.SaveError, true)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    private static final Runtime RUNTIME = Runtime.getRuntime(FUNCTIONS);
    private static final int STATX_BASIC_STATS = 0x7ff;

    private Libc() {
    }

    public static Functions c() {
        return FUNCTIONS;
    }

    /** The errno of this thread's last failed call. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** A path as the NUL-terminated bytes the kernel gets. */
    public static byte[] bytes(Path p) {
        return bytes(p.toString());
    }

    public static byte[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** utimensat's two timespecs: access, then modification. */
    public static long[] times(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        return new long[]{atimeSec, atimeNsec, mtimeSec, mtimeNsec};
    }

    /** statx of {@code path} (AT_SYMLINK_NOFOLLOW when {@code follow} is false); null and errno set on failure. */
    public static Stat statx(byte[] path, boolean follow) {
        byte[] buf = new byte[256];
        int r = FUNCTIONS.statx(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
        return r == 0 ? Stat.decode(buf) : null;
    }

    /** statx of an open descriptor. */
    public static Stat fstat(int fd) {
        byte[] buf = new byte[256];
        int r = FUNCTIONS.statx(fd, new byte[]{0}, 0x1000 /* AT_EMPTY_PATH */, STATX_BASIC_STATS, buf);
        return r == 0 ? Stat.decode(buf) : null;
    }

    /** What statfs(2) says of a filesystem. */
    public record FsStat(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
                         long namelen, long frsize) {
    }

    public static FsStat statfs(byte[] path) {
        byte[] buf = new byte[120];
        if (FUNCTIONS.statfs(path, buf) != 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        return new FsStat(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                b.getLong(48), b.getLong(64), b.getLong(72));
    }

    /** The status fields of statx the tests compare. Times in nanoseconds since the epoch. */
    public record Stat(int type, int mode, long nlink, long uid, long gid, long size, long blocks, long ino,
                       long atime, long mtime, long ctime, long rdevMajor, long rdevMinor) {
        static Stat decode(byte[] buf) {
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            int rawMode = Short.toUnsignedInt(b.getShort(28));
            return new Stat(rawMode & 0170000, rawMode & 07777, Integer.toUnsignedLong(b.getInt(16)),
                    Integer.toUnsignedLong(b.getInt(20)), Integer.toUnsignedLong(b.getInt(24)), b.getLong(40),
                    b.getLong(48), b.getLong(32), time(b, 64), time(b, 112), time(b, 96),
                    Integer.toUnsignedLong(b.getInt(128)), Integer.toUnsignedLong(b.getInt(132)));
        }

        private static long time(ByteBuffer b, int at) {
            return b.getLong(at) * 1_000_000_000L + Integer.toUnsignedLong(b.getInt(at + 8));
        }

        public String typeName() {
            return switch (type) {
                case S_IFREG -> "file";
                case S_IFDIR -> "folder";
                case S_IFLNK -> "symlink";
                case S_IFIFO -> "fifo";
                case S_IFCHR -> "char-device";
                case 0060000 -> "block-device";
                case 0140000 -> "socket";
                default -> "type " + Integer.toOctalString(type);
            };
        }
    }
}
