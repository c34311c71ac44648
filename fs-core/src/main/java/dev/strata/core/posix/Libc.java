package dev.strata.core.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.NativeLong;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int32_t;
import jnr.ffi.types.uid_t;

/**
 * The C library's functions this package calls, bound with jnr-ffi, and the flag values they take.
 * The bound functions are thread-safe (errno is saved per thread by jnr-ffi); the class is
 * stateless.
 *
 * <p>Paths and names are NUL-terminated byte arrays made by {@link NativePath}, so the encoding is
 * ours and not jnr-ffi's.
 */
final class Libc {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 02000000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_PATH = 010000000;
    static final int SEEK_END = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;

    private Libc() {
    }

    /**
     * The bound functions. Public only because jnr-ffi generates its implementation in another
     * class loader; the enclosing class keeps it out of the package's API.
     */
    public interface Functions {
        int statx(int dirfd, @In byte[] path, int flags, @u_int32_t int mask, @Out byte[] statxbuf);

        @ssize_t long llistxattr(@In byte[] path, @Out byte[] list, @size_t long size);

        @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

        int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, @size_t long size, int flags);

        int lremovexattr(@In byte[] path, @In byte[] name);

        int mknod(@In byte[] path, @mode_t int mode, @dev_t long dev);

        int mkfifo(@In byte[] path, @mode_t int mode);

        int lchown(@In byte[] path, @uid_t int owner, @gid_t int group);

        int chmod(@In byte[] path, @mode_t int mode);

        int truncate(@In byte[] path, @off_t long length);

        int utimensat(int dirfd, @In byte[] path, @In Pointer times, int flags);

        int open(@In byte[] path, int flags);

        int close(int fd);

        @uid_t int geteuid();

        @off_t long lseek(int fd, @off_t long offset, int whence);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, NativeLong request, @Out long[] result);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, NativeLong request, @Out int[] result);

        int getpwuid_r(@uid_t int uid, Pointer pwd, Pointer buf, @size_t long buflen, PointerByReference result);

        int getgrgid_r(@gid_t int gid, Pointer grp, Pointer buf, @size_t long buflen, PointerByReference result);

        int getpwnam_r(@In byte[] name, Pointer pwd, Pointer buf, @size_t long buflen, PointerByReference result);

        int getgrnam_r(@In byte[] name, Pointer grp, Pointer buf, @size_t long buflen, PointerByReference result);

        /** Thread-safe in glibc since 2.32 (Debian 12 has 2.36) and in musl. */
        String strerror(int errnum);
    }

    static Functions load() {
        if (Platform.getNativePlatform().getOS() != Platform.OS.LINUX) {
            throw new UnsupportedOperationException("the POSIX layer supports Linux only, not "
                    + Platform.getNativePlatform().getOS());
        }
        return LibraryLoader.create(Functions.class)
                .option(LibraryOption.SaveError, true)
                .load(Platform.getNativePlatform().getStandardCLibraryName());
    }
}
