package dev.strata.core.posix;

import java.util.Optional;

/**
 * Everything {@code statx} says about a file, with {@code dev_t} values in glibc's encoding.
 * Immutable and thread-safe.
 *
 * @param device the device holding the file ({@code st_dev})
 * @param inode the inode number
 * @param mode file type and permission bits ({@code st_mode})
 * @param links the number of hard links
 * @param uid the owner; unsigned, compare with {@link Integer#toUnsignedLong}
 * @param gid the group; unsigned
 * @param rdev the device a character or block device file stands for, else 0
 * @param size the size in bytes (of a symlink: the length of its target)
 * @param blocks allocated space in 512-byte units
 * @param blockSize the preferred I/O size
 * @param atime last access
 * @param mtime last modification of the data
 * @param ctime last change of the inode
 * @param btime creation, when the filesystem and the kernel report it
 */
public record FileStatus(
        long device,
        long inode,
        int mode,
        long links,
        int uid,
        int gid,
        long rdev,
        long size,
        long blocks,
        int blockSize,
        Timespec atime,
        Timespec mtime,
        Timespec ctime,
        Optional<Timespec> btime) {

    public FileStatus {
        if (atime == null || mtime == null || ctime == null || btime == null) {
            throw new IllegalArgumentException("times must not be null (btime may be empty)");
        }
    }

    public int type() {
        return FileMode.type(mode);
    }

    /** The permission bits, {@code mode & 07777}. */
    public int permissions() {
        return FileMode.permissions(mode);
    }

    public boolean isRegularFile() {
        return type() == FileMode.S_IFREG;
    }

    public boolean isDirectory() {
        return type() == FileMode.S_IFDIR;
    }

    public boolean isSymlink() {
        return type() == FileMode.S_IFLNK;
    }

    public boolean isFifo() {
        return type() == FileMode.S_IFIFO;
    }

    public boolean isSocket() {
        return type() == FileMode.S_IFSOCK;
    }

    public boolean isCharDevice() {
        return type() == FileMode.S_IFCHR;
    }

    public boolean isBlockDevice() {
        return type() == FileMode.S_IFBLK;
    }

    public int rdevMajor() {
        return DeviceNumbers.major(rdev);
    }

    public int rdevMinor() {
        return DeviceNumbers.minor(rdev);
    }
}
