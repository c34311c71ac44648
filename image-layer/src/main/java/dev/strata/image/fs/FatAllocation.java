package dev.strata.image.fs;

import dev.strata.image.ByteRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the used clusters of a FAT12/16/32 filesystem from its first allocation table: the
 * reserved sectors, the tables and (FAT12/16) the root directory are always used, a data cluster
 * is used when its table entry is not zero. Stateless.
 */
final class FatAllocation {
    private static final int WINDOW = 1 << 20;

    private FatAllocation() {
    }

    static boolean looksLikeFat(ByteBuffer b) {
        int jump = b.get(0) & 0xFF;
        int bps = b.getShort(11) & 0xFFFF;
        int spc = b.get(13) & 0xFF;
        int reserved = b.getShort(14) & 0xFFFF;
        int fats = b.get(16) & 0xFF;
        boolean sig = (b.get(510) & 0xFF) == 0x55 && (b.get(511) & 0xFF) == 0xAA;
        return (jump == 0xEB || jump == 0xE9) && sig && bps >= 512 && bps <= 4096 && Integer.bitCount(bps) == 1
                && spc > 0 && Integer.bitCount(spc) == 1 && reserved > 0 && fats > 0 && fats <= 4
                && (Filesystems.ascii(b, 0x36, 3).equals("FAT") || Filesystems.ascii(b, 0x52, 5).equals("FAT32")
                || (b.getShort(22) == 0 && b.getInt(36) != 0));
    }

    static FilesystemInfo read(RegionReader r, ByteBuffer b, boolean allocation) throws IOException {
        long bps = b.getShort(11) & 0xFFFF;
        long spc = b.get(13) & 0xFF;
        long reserved = b.getShort(14) & 0xFFFF;
        long fats = b.get(16) & 0xFF;
        long rootEntries = b.getShort(17) & 0xFFFF;
        long total = (b.getShort(19) & 0xFFFF) != 0 ? b.getShort(19) & 0xFFFF : Integer.toUnsignedLong(b.getInt(32));
        long fatSize = (b.getShort(22) & 0xFFFF) != 0 ? b.getShort(22) & 0xFFFF : Integer.toUnsignedLong(b.getInt(36));
        long rootSectors = (rootEntries * 32 + bps - 1) / bps;
        long dataStart = reserved + fats * fatSize + rootSectors;
        if (total <= dataStart || total * bps > r.length()) {
            return FilesystemInfo.opaque("fat", "its boot sector is inconsistent with the partition");
        }
        long clusters = (total - dataStart) / spc;
        int bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
        String name = "fat" + bits;
        long clusterBytes = spc * bps;
        if (!allocation) {
            return new FilesystemInfo(name, clusterBytes, null, "");
        }
        if ((clusters + 2) * bits / 8 > fatSize * bps) {
            return new FilesystemInfo(name, clusterBytes, null, "its allocation table is too small for its clusters");
        }
        List<ByteRange> used = new ArrayList<>();
        used.add(new ByteRange(0, dataStart * bps));
        long dataEnd = dataStart + clusters * spc;
        used.add(new ByteRange(dataEnd * bps, r.length() - dataEnd * bps));
        long fatOffset = reserved * bps;
        long runStart = -1;
        ByteBuffer window = null;
        long windowStart = -1;
        for (long c = 2; c < clusters + 2; c++) {
            long entry;
            long byteOff = bits == 12 ? c + c / 2 : c * bits / 8;
            if (window == null || byteOff + 4 > windowStart + WINDOW) {
                windowStart = byteOff;
                window = r.read(fatOffset + windowStart, WINDOW + 4);
            }
            int at = (int) (byteOff - windowStart);
            if (bits == 12) {
                int v = (window.get(at) & 0xFF) | (window.get(at + 1) & 0xFF) << 8;
                entry = (c & 1) == 0 ? v & 0xFFF : v >>> 4;
            } else if (bits == 16) {
                entry = window.getShort(at) & 0xFFFF;
            } else {
                entry = window.getInt(at) & 0x0FFFFFFFL;
            }
            boolean isUsed = entry != 0;
            if (isUsed && runStart < 0) {
                runStart = c;
            } else if (!isUsed && runStart >= 0) {
                used.add(clusterRange(runStart, c, dataStart, spc, bps));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            used.add(clusterRange(runStart, clusters + 2, dataStart, spc, bps));
        }
        return new FilesystemInfo(name, clusterBytes, ByteRange.merge(used), "");
    }

    private static ByteRange clusterRange(long from, long to, long dataStart, long spc, long bps) {
        return new ByteRange((dataStart + (from - 2) * spc) * bps, (to - from) * spc * bps);
    }
}
