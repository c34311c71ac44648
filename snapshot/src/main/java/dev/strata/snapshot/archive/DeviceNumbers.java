package dev.strata.snapshot.archive;

import dev.strata.core.tree.NodeType;

/** Linux's device number encoding (glibc's gnu_dev_major/minor/makedev) and the file-type bits of a mode. Stateless. */
final class DeviceNumbers {
    private DeviceNumbers() {
    }

    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }

    static long makedev(long major, long minor) {
        return ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
    }

    /** The S_IFMT bits of a node of this type. */
    static int typeBits(NodeType type) {
        return switch (type) {
            case FILE -> 0100000;
            case DIRECTORY -> 040000;
            case SYMLINK -> 0120000;
            case FIFO -> 010000;
            case SOCKET -> 0140000;
            case CHAR_DEVICE -> 020000;
            case BLOCK_DEVICE -> 060000;
        };
    }
}
