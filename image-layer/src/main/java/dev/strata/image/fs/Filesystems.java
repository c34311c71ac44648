package dev.strata.image.fs;

import dev.strata.image.ByteRange;
import dev.strata.image.source.ImageSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the filesystem in a region by its magic numbers and, for ext2/3/4 and FAT12/16/32,
 * reads which blocks are in use. Everything else is named where known and read whole. Stateless.
 */
public final class Filesystems {
    private Filesystems() {
    }

    /** Names the filesystem; with {@code allocation}, also reads its used blocks where it can. */
    public static FilesystemInfo detect(ImageSource source, ByteRange region, boolean allocation) throws IOException {
        RegionReader r = new RegionReader(source, region);
        if (region.length() < 4096) {
            return FilesystemInfo.opaque("unknown", "too small to hold a filesystem");
        }
        ByteBuffer head = r.read(0, 4096);
        if ((head.getShort(1024 + 56) & 0xFFFF) == 0xEF53) {
            return ExtAllocation.read(r, allocation);
        }
        if (FatAllocation.looksLikeFat(head)) {
            return FatAllocation.read(r, head, allocation);
        }
        String name = otherName(r, head);
        return FilesystemInfo.opaque(name, name.equals("unknown")
                ? "not a filesystem Strata knows" : "Strata cannot read the allocation of " + name);
    }

    private static String otherName(RegionReader r, ByteBuffer head) throws IOException {
        if (ascii(head, 3, 8).equals("NTFS    ")) {
            return "ntfs";
        }
        if (ascii(head, 3, 8).equals("EXFAT   ")) {
            return "exfat";
        }
        if (ascii(head, 0, 4).equals("XFSB")) {
            return "xfs";
        }
        if (ascii(head, 0, 4).equals("LUKS")) {
            return "luks";
        }
        if (ascii(head, 512, 8).equals("LABELONE") && ascii(head, 536, 4).equals("LVM2")) {
            return "lvm2";
        }
        if (ascii(head, 4096 - 10, 10).equals("SWAPSPACE2")) {
            return "swap";
        }
        if (r.length() > 0x10040 + 8 && ascii(r.read(0x10040, 8), 0, 8).equals("_BHRfS_M")) {
            return "btrfs";
        }
        return "unknown";
    }

    static String ascii(ByteBuffer b, int off, int len) {
        byte[] s = new byte[len];
        for (int i = 0; i < len; i++) {
            s[i] = b.get(off + i);
        }
        return new String(s, StandardCharsets.ISO_8859_1);
    }
}
