package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;

/** One ext inode as stored (its raw bytes, checksum already checked) with its fields decoded. Immutable. */
final class ExtInode {
    static final int FLAG_HUGE_FILE = 0x40000;
    static final int FLAG_EXTENTS = 0x80000;
    static final int FLAG_INLINE_DATA = 0x10000000;
    static final int FLAG_ENCRYPT = 0x800;
    /** The 60 bytes of i_block: block pointers, an extent tree root, inline data or a fast symlink. */
    static final int IBLOCK = 0x28;
    static final int IBLOCK_SIZE = 60;

    final long number;
    final byte[] raw;
    final NodeType type;
    final int mode;
    final long uid;
    final long gid;
    final long size;
    final long links;
    final int flags;
    final long blocks512;
    final long xattrBlock;
    final int extraSize;
    final int generation;

    ExtInode(long number, byte[] raw, ExtSuperblock sb) throws FilesystemDamageException {
        this.number = number;
        this.raw = raw;
        int m = Le.u16(raw, 0);
        this.type = switch (m & 0xF000) {
            case 0x1000 -> NodeType.FIFO;
            case 0x2000 -> NodeType.CHAR_DEVICE;
            case 0x4000 -> NodeType.DIRECTORY;
            case 0x6000 -> NodeType.BLOCK_DEVICE;
            case 0x8000 -> NodeType.FILE;
            case 0xA000 -> NodeType.SYMLINK;
            case 0xC000 -> NodeType.SOCKET;
            default -> throw new FilesystemDamageException("ext inode " + number + ": unknown file type in mode 0"
                    + Integer.toOctalString(m));
        };
        this.mode = m & 07777;
        this.uid = Le.u16(raw, 2) | (long) Le.u16(raw, 0x78) << 16;
        this.gid = Le.u16(raw, 0x18) | (long) Le.u16(raw, 0x7A) << 16;
        this.size = Le.u32(raw, 4) | Le.u32(raw, 0x6C) << 32;
        this.links = Le.u16(raw, 0x1A);
        this.flags = Le.s32(raw, 0x20);
        long b = Le.u32(raw, 0x1C) | (long) Le.u16(raw, 0x74) << 32;
        boolean huge = (sb.roCompat & ExtSuperblock.RO_COMPAT_HUGE_FILE) != 0 && (flags & FLAG_HUGE_FILE) != 0;
        this.blocks512 = huge ? b * (sb.blockSize / 512) : b;
        this.xattrBlock = Le.u32(raw, 0x68) | (long) Le.u16(raw, 0x76) << 32;
        this.generation = Le.s32(raw, 0x64);
        int extra = sb.inodeSize > 128 ? Le.u16(raw, 0x80) : 0;
        if (extra > sb.inodeSize - 128 || (extra & 3) != 0) {
            throw new FilesystemDamageException("ext inode " + number + ": extra size " + extra + " is out of range");
        }
        this.extraSize = extra;
        if (size < 0) {
            throw new FilesystemDamageException("ext inode " + number + ": size is negative");
        }
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    Timestamp atime() {
        return time(0x8, 0x8C);
    }

    Timestamp ctime() {
        return time(0xC, 0x84);
    }

    Timestamp mtime() {
        return time(0x10, 0x88);
    }

    /** Seconds are signed 32 bits; the extra field adds two epoch bits and the nanoseconds. */
    private Timestamp time(int base, int extraOffset) {
        long seconds = Le.s32(raw, base);
        int nanos = 0;
        if (extraSize >= extraOffset + 4 - 128) {
            long extra = Le.u32(raw, extraOffset);
            seconds += (extra & 3) << 32;
            nanos = (int) (extra >>> 2);
            if (nanos > 999_999_999) {
                nanos = 0;
            }
        }
        return new Timestamp(seconds, nanos);
    }

    /** The device number of a device node, in the kernel's encoding of major and minor. */
    long rdev() {
        if (type != NodeType.CHAR_DEVICE && type != NodeType.BLOCK_DEVICE) {
            return 0;
        }
        long old = Le.u32(raw, IBLOCK);
        long major;
        long minor;
        if (old != 0) {
            major = (old >>> 8) & 0xFF;
            minor = old & 0xFF;
        } else {
            long v = Le.u32(raw, IBLOCK + 4);
            major = (v & 0xFFF00) >>> 8;
            minor = (v & 0xFF) | ((v >>> 12) & 0xFFF00);
        }
        return (major << 8) | (minor & 0xFF) | ((minor & ~0xFFL) << 12);
    }
}
