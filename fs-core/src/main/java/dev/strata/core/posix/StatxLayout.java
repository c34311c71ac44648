package dev.strata.core.posix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The layout of the kernel's {@code struct statx} and its decoding into a {@link FileStatus}.
 * Stateless and thread-safe.
 *
 * <p>Unlike {@code struct stat}, {@code struct statx} has the same size and offsets on every
 * architecture (linux/stat.h); only the byte order is the machine's.
 */
final class StatxLayout {
    static final int SIZE = 0x100;

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_BTIME = 0x800;

    private static final int MASK = 0x00;
    private static final int BLKSIZE = 0x04;
    private static final int NLINK = 0x10;
    private static final int UID = 0x14;
    private static final int GID = 0x18;
    private static final int MODE = 0x1c;
    private static final int INO = 0x20;
    private static final int SIZE_FIELD = 0x28;
    private static final int BLOCKS = 0x30;
    private static final int ATIME = 0x40;
    private static final int BTIME = 0x50;
    private static final int CTIME = 0x60;
    private static final int MTIME = 0x70;
    private static final int RDEV_MAJOR = 0x80;
    private static final int RDEV_MINOR = 0x84;
    private static final int DEV_MAJOR = 0x88;
    private static final int DEV_MINOR = 0x8c;

    /** struct statx_timestamp: __s64 tv_sec, __u32 tv_nsec, __s32 reserved. */
    private static final int TV_NSEC = 8;

    private StatxLayout() {
    }

    static FileStatus decode(byte[] statx) {
        if (statx.length < SIZE) {
            throw new IllegalArgumentException("statx buffer too small: " + statx.length);
        }
        ByteBuffer b = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        int mask = b.getInt(MASK);
        Optional<Timespec> btime = (mask & STATX_BTIME) != 0
                ? Optional.of(timestamp(b, BTIME))
                : Optional.empty();
        return new FileStatus(
                DeviceNumbers.makedev(b.getInt(DEV_MAJOR), b.getInt(DEV_MINOR)),
                b.getLong(INO),
                Short.toUnsignedInt(b.getShort(MODE)),
                Integer.toUnsignedLong(b.getInt(NLINK)),
                b.getInt(UID),
                b.getInt(GID),
                DeviceNumbers.makedev(b.getInt(RDEV_MAJOR), b.getInt(RDEV_MINOR)),
                b.getLong(SIZE_FIELD),
                b.getLong(BLOCKS),
                b.getInt(BLKSIZE),
                timestamp(b, ATIME),
                timestamp(b, MTIME),
                timestamp(b, CTIME),
                btime);
    }

    private static Timespec timestamp(ByteBuffer b, int offset) {
        return new Timespec(b.getLong(offset), b.getInt(offset + TV_NSEC));
    }
}
