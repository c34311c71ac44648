package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import jnr.ffi.NativeLong;

/**
 * Asks a block device for its size and logical sector size ({@code ioctl BLKGETSIZE64} and
 * {@code BLKSSZGET}). Thread-safe.
 */
final class BlockDevices {
    private static final int IOC_READ = 2;
    private static final int BLOCK_IOCTL_TYPE = 0x12;

    private final Libc.Functions libc;
    private final NativeErrors errors;
    private final StatReader stat;
    /** _IOR(0x12, 114, size_t): the size in the request follows the ABI, the result is a u64. */
    private final NativeLong blkGetSize64;
    /** _IO(0x12, 104): no size or direction bits, so the same number everywhere. */
    private final NativeLong blkSszGet;

    BlockDevices(Libc.Functions libc, NativeErrors errors, StatReader stat) {
        this.libc = libc;
        this.errors = errors;
        this.stat = stat;
        int sizeOfSizeT = jnr.ffi.Runtime.getRuntime(libc).addressSize();
        this.blkGetSize64 = new NativeLong(request(IOC_READ, BLOCK_IOCTL_TYPE, 114, sizeOfSizeT));
        this.blkSszGet = new NativeLong(request(0, BLOCK_IOCTL_TYPE, 104, 0));
    }

    /** Linux's generic _IOC encoding (asm-generic/ioctl.h). */
    static long request(int direction, int type, int number, int size) {
        return ((long) direction << 30) | ((long) size << 16) | ((long) type << 8) | number;
    }

    long size(Path device) throws IOException {
        try (NativeFd fd = openBlockDevice(device)) {
            long[] size = new long[1];
            if (libc.ioctl(fd.fd(), blkGetSize64, size) != 0) {
                throw errors.last("ioctl BLKGETSIZE64", device);
            }
            return size[0];
        }
    }

    int logicalSectorSize(Path device) throws IOException {
        try (NativeFd fd = openBlockDevice(device)) {
            int[] sectorSize = new int[1];
            if (libc.ioctl(fd.fd(), blkSszGet, sectorSize) != 0) {
                throw errors.last("ioctl BLKSSZGET", device);
            }
            return sectorSize[0];
        }
    }

    private NativeFd openBlockDevice(Path device) throws IOException {
        // Checked before open too: opening something else (a fifo) could block or have effects.
        requireBlockDevice(stat.stat(device, true), device);
        NativeFd fd = NativeFd.openReadOnly(libc, errors, device);
        try {
            requireBlockDevice(stat.stat(fd, device), device);
            return fd;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static void requireBlockDevice(FileStatus status, Path device) throws FileSystemException {
        if (!status.isBlockDevice()) {
            throw new FileSystemException(device.toString(), null, "not a block device");
        }
    }
}
