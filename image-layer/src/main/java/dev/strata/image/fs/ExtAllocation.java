package dev.strata.image.fs;

import dev.strata.image.ByteRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the used blocks of an ext2/3/4 filesystem from its group descriptors and block bitmaps.
 * Groups whose bitmap was never initialised (BLOCK_UNINIT) hold only metadata, which is added for
 * every group whatever its flags: superblock and descriptor backups, bitmaps and inode tables.
 * Layouts it does not handle (meta_bg, bigalloc, sparse_super2) fall back to every block. Stateless.
 */
final class ExtAllocation {
    private static final int COMPAT_HAS_JOURNAL = 0x4;
    private static final int COMPAT_SPARSE_SUPER2 = 0x200;
    private static final int INCOMPAT_EXTENTS = 0x40;
    private static final int INCOMPAT_64BIT = 0x80;
    private static final int INCOMPAT_META_BG = 0x10;
    private static final int INCOMPAT_FLEX_BG = 0x200;
    private static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    private static final int RO_COMPAT_BIGALLOC = 0x200;
    private static final int BG_BLOCK_UNINIT = 0x2;

    private ExtAllocation() {
    }

    static FilesystemInfo read(RegionReader r, boolean allocation) throws IOException {
        ByteBuffer sb = r.read(1024, 1024);
        int compat = sb.getInt(92);
        int incompat = sb.getInt(96);
        int roCompat = sb.getInt(100);
        String name = (incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG)) != 0 ? "ext4"
                : (compat & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
        long blockSize = 1024L << sb.getInt(24);
        if (!allocation) {
            return new FilesystemInfo(name, blockSize, null, "");
        }
        if ((incompat & INCOMPAT_META_BG) != 0 || (roCompat & RO_COMPAT_BIGALLOC) != 0 || (compat & COMPAT_SPARSE_SUPER2) != 0) {
            return new FilesystemInfo(name, blockSize, null, "its layout (meta_bg, bigalloc or sparse_super2) is not supported");
        }
        boolean is64 = (incompat & INCOMPAT_64BIT) != 0;
        long blocks = Integer.toUnsignedLong(sb.getInt(4)) | (is64 ? Integer.toUnsignedLong(sb.getInt(336)) << 32 : 0);
        long firstData = Integer.toUnsignedLong(sb.getInt(20));
        long perGroup = Integer.toUnsignedLong(sb.getInt(32));
        long inodesPerGroup = Integer.toUnsignedLong(sb.getInt(40));
        int inodeSize = sb.getInt(76) == 0 ? 128 : sb.getShort(88) & 0xFFFF;
        int descSize = is64 ? Math.max(32, sb.getShort(254) & 0xFFFF) : 32;
        int reservedGdt = sb.getShort(206) & 0xFFFF;
        boolean sparse = (roCompat & RO_COMPAT_SPARSE_SUPER) != 0;
        if (blockSize > 65536 || perGroup == 0 || perGroup > blockSize * 8 || blocks * blockSize > r.length()) {
            return new FilesystemInfo(name, blockSize, null, "its superblock is inconsistent with the partition");
        }
        long groups = (blocks - firstData + perGroup - 1) / perGroup;
        long gdtBlocks = (groups * descSize + blockSize - 1) / blockSize;
        long itableBlocks = (inodesPerGroup * inodeSize + blockSize - 1) / blockSize;
        if (gdtBlocks * blockSize > Integer.MAX_VALUE) {
            return new FilesystemInfo(name, blockSize, null, "its group descriptor table is too large");
        }
        ByteBuffer gdt = r.read((firstData + 1) * blockSize, (int) (gdtBlocks * blockSize));
        List<ByteRange> used = new ArrayList<>();
        used.add(new ByteRange(0, (firstData + 1) * blockSize));
        used.add(new ByteRange(blocks * blockSize, r.length() - blocks * blockSize));
        for (long g = 0; g < groups; g++) {
            long start = firstData + g * perGroup;
            long count = Math.min(perGroup, blocks - start);
            int d = (int) (g * descSize);
            long blockBitmap = Integer.toUnsignedLong(gdt.getInt(d));
            long inodeBitmap = Integer.toUnsignedLong(gdt.getInt(d + 4));
            long inodeTable = Integer.toUnsignedLong(gdt.getInt(d + 8));
            int flags = gdt.getShort(d + 18) & 0xFFFF;
            if (descSize >= 64) {
                blockBitmap |= Integer.toUnsignedLong(gdt.getInt(d + 0x20)) << 32;
                inodeBitmap |= Integer.toUnsignedLong(gdt.getInt(d + 0x24)) << 32;
                inodeTable |= Integer.toUnsignedLong(gdt.getInt(d + 0x28)) << 32;
            }
            if (hasSuperBackup(g, sparse)) {
                used.add(blockRange(start, 1 + gdtBlocks + reservedGdt, blockSize));
            }
            used.add(blockRange(blockBitmap, 1, blockSize));
            used.add(blockRange(inodeBitmap, 1, blockSize));
            used.add(blockRange(inodeTable, itableBlocks, blockSize));
            if ((flags & BG_BLOCK_UNINIT) == 0) {
                if (blockBitmap >= blocks) {
                    return new FilesystemInfo(name, blockSize, null, "group " + g + " names a bitmap outside the filesystem");
                }
                ByteBuffer bitmap = r.read(blockBitmap * blockSize, (int) blockSize);
                addRuns(bitmap, start, count, blockSize, used);
            }
        }
        List<ByteRange> clipped = new ArrayList<>();
        for (ByteRange u : ByteRange.merge(used)) {
            long end = Math.min(u.end(), r.length());
            if (u.start() < end) {
                clipped.add(new ByteRange(u.start(), end - u.start()));
            }
        }
        return new FilesystemInfo(name, blockSize, clipped, "");
    }

    private static ByteRange blockRange(long first, long count, long blockSize) {
        return new ByteRange(first * blockSize, count * blockSize);
    }

    /** With sparse_super, backups live in groups 0, 1 and powers of 3, 5 and 7. */
    static boolean hasSuperBackup(long g, boolean sparse) {
        if (!sparse || g <= 1) {
            return true;
        }
        return isPower(g, 3) || isPower(g, 5) || isPower(g, 7);
    }

    private static boolean isPower(long g, int base) {
        long p = base;
        while (p < g) {
            p *= base;
        }
        return p == g;
    }

    /** Adds the runs of set bits (used blocks) of one group's bitmap. */
    private static void addRuns(ByteBuffer bitmap, long firstBlock, long count, long blockSize, List<ByteRange> out) {
        long runStart = -1;
        for (long i = 0; i < count; i++) {
            boolean set = (bitmap.get((int) (i >>> 3)) & (1 << (i & 7))) != 0;
            if (set && runStart < 0) {
                runStart = i;
            } else if (!set && runStart >= 0) {
                out.add(blockRange(firstBlock + runStart, i - runStart, blockSize));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            out.add(blockRange(firstBlock + runStart, count - runStart, blockSize));
        }
    }
}
