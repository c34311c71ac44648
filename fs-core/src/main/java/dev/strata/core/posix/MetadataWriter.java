package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Sets ownership, permissions and nanosecond timestamps, of symlinks themselves where Linux
 * allows it ({@code lchown}, {@code chmod}, {@code utimensat}), and a file's length without writing
 * it ({@code truncate}, which leaves a hole when it grows the file). Thread-safe.
 */
final class MetadataWriter {
    /** utimensat's "leave this time as it is" nanoseconds value. */
    static final long UTIME_OMIT = (1L << 30) - 2;

    private final Libc.Functions libc;
    private final NativeErrors errors;
    private final jnr.ffi.Runtime runtime;

    MetadataWriter(Libc.Functions libc, NativeErrors errors) {
        this.libc = libc;
        this.errors = errors;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    /** Changes the owner of the file or symlink; -1 leaves the uid or gid as it is. */
    void lchown(Path path, int uid, int gid) throws IOException {
        if (libc.lchown(NativePath.of(path), uid, gid) != 0) {
            throw errors.last("lchown", path);
        }
    }

    /** Sets the permission bits; follows symlinks, whose own mode Linux cannot change. */
    void chmod(Path path, int permissions) throws IOException {
        FileMode.requirePermissions(permissions);
        if (libc.chmod(NativePath.of(path), permissions) != 0) {
            throw errors.last("chmod", path);
        }
    }

    /** Sets the length of a regular file: cut, or grown by a hole. */
    void truncate(Path path, long length) throws IOException {
        if (libc.truncate(NativePath.of(path), length) != 0) {
            throw errors.last("truncate", path);
        }
    }

    /** Sets access and modification times; a null time is left as it is. */
    void setTimes(Path path, Timespec atime, Timespec mtime, boolean followLinks) throws IOException {
        int flags = followLinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW;
        if (libc.utimensat(Libc.AT_FDCWD, NativePath.of(path), timespecs(atime, mtime), flags) != 0) {
            throw errors.last("utimensat", path);
        }
    }

    /**
     * struct timespec[2]: time_t and long, both the size of a C long on Linux. Heap memory, which
     * jnr-ffi copies in for the call: cheaper than native memory for a restore's million calls.
     */
    private Pointer timespecs(Timespec atime, Timespec mtime) {
        int longSize = runtime.longSize();
        Pointer times = Memory.allocate(runtime, 4 * longSize);
        put(times, 0, atime, longSize);
        put(times, 2 * longSize, mtime, longSize);
        return times;
    }

    private static void put(Pointer times, int offset, Timespec time, int longSize) {
        times.putNativeLong(offset, time == null ? 0 : time.seconds());
        times.putNativeLong(offset + longSize, time == null ? UTIME_OMIT : time.nanos());
    }
}
