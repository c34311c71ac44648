package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the data regions of a sparse file with {@code lseek(SEEK_DATA/SEEK_HOLE)}. Thread-safe.
 *
 * <p>The regions are as fine as the filesystem tracks them (its block size, at best), cover the
 * file up to the size it had when opened, and on a filesystem that cannot tell holes apart
 * ({@code EINVAL}) are one region covering the whole file.
 */
final class ExtentScanner {
    private final Libc.Functions libc;
    private final NativeErrors errors;
    private final StatReader stat;

    ExtentScanner(Libc.Functions libc, NativeErrors errors, StatReader stat) {
        this.libc = libc;
        this.errors = errors;
        this.stat = stat;
    }

    List<Extent> dataExtents(Path file) throws IOException {
        // Checked before open as well as after, because opening a fifo for reading would block.
        requireRegular(stat.stat(file, true), file);
        try (NativeFd fd = NativeFd.openReadOnly(libc, errors, file)) {
            FileStatus status = stat.stat(fd, file);
            requireRegular(status, file);
            return scan(fd, file, status.size());
        }
    }

    private List<Extent> scan(NativeFd fd, Path file, long size) throws IOException {
        List<Extent> extents = new ArrayList<>();
        long position = 0;
        while (position < size) {
            long data = libc.lseek(fd.fd(), position, Libc.SEEK_DATA);
            if (data < 0) {
                int errno = errors.errno();
                if (errno == Errno.ENXIO) {
                    break; // only a hole from here to the end
                }
                if (errno == Errno.EINVAL && extents.isEmpty()) {
                    return List.of(new Extent(0, size));
                }
                throw errors.exception(errno, "lseek SEEK_DATA", file);
            }
            if (data >= size) {
                break; // the file grew after we took its size
            }
            long hole = libc.lseek(fd.fd(), data, Libc.SEEK_HOLE);
            if (hole < 0) {
                int errno = errors.errno();
                if (errno == Errno.ENXIO) {
                    break; // the file shrank under us
                }
                throw errors.exception(errno, "lseek SEEK_HOLE", file);
            }
            long end = Math.min(hole, size);
            extents.add(new Extent(data, end - data));
            position = end;
        }
        return List.copyOf(extents);
    }

    private static void requireRegular(FileStatus status, Path file) throws FileSystemException {
        if (!status.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "data extents: not a regular file");
        }
    }
}
