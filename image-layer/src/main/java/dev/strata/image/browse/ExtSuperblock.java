package dev.strata.image.browse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checked superblock of an ext2/3/4 filesystem: geometry, features and the checksum seed.
 * Everything later reads is bounded by these values, so each is checked against the others and
 * against the partition here. Immutable.
 */
final class ExtSuperblock {
    static final int MAGIC = 0xEF53;

    static final int INCOMPAT_FILETYPE = 0x2;
    static final int INCOMPAT_RECOVER = 0x4;
    static final int INCOMPAT_META_BG = 0x10;
    static final int INCOMPAT_EXTENTS = 0x40;
    static final int INCOMPAT_64BIT = 0x80;
    static final int INCOMPAT_MMP = 0x100;
    static final int INCOMPAT_FLEX_BG = 0x200;
    static final int INCOMPAT_CSUM_SEED = 0x2000;
    static final int INCOMPAT_LARGEDIR = 0x4000;
    static final int INCOMPAT_INLINE_DATA = 0x8000;
    static final int INCOMPAT_CASEFOLD = 0x20000;
    private static final int INCOMPAT_READABLE = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_EXTENTS | INCOMPAT_64BIT
            | INCOMPAT_MMP | INCOMPAT_FLEX_BG | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA | INCOMPAT_CASEFOLD;
    static final int RO_COMPAT_HUGE_FILE = 0x8;
    static final int RO_COMPAT_METADATA_CSUM = 0x400;

    final int blockSize;
    final long blocks;
    final long inodes;
    final long firstDataBlock;
    final long blocksPerGroup;
    final long inodesPerGroup;
    final long groups;
    final int inodeSize;
    final int descSize;
    final int compat;
    final int incompat;
    final int roCompat;
    final boolean csum;
    final int csumSeed;
    final long inodeTableBlocks;

    private ExtSuperblock(byte[] sb, long partitionSize) throws FilesystemDamageException {
        if (Le.u16(sb, 56) != MAGIC) {
            throw damage("no ext2/3/4 superblock magic");
        }
        compat = Le.s32(sb, 92);
        incompat = Le.s32(sb, 96);
        roCompat = Le.s32(sb, 100);
        csum = (roCompat & RO_COMPAT_METADATA_CSUM) != 0;
        if (csum) {
            if (Le.u8(sb, 0x175) != 1) {
                throw damage("unknown checksum type " + Le.u8(sb, 0x175));
            }
            int want = Le.s32(sb, 0x3FC);
            int got = Crc32c.update(-1, sb, 0, 0x3FC);
            if (want != got) {
                throw damage("superblock checksum mismatch");
            }
        }
        int unknown = incompat & ~INCOMPAT_READABLE;
        if (unknown != 0) {
            throw new FilesystemDamageException("ext filesystem uses features Strata cannot read yet: " + incompatNames(unknown));
        }
        long logBlock = Le.u32(sb, 24);
        if (logBlock > 6) {
            throw damage("block size 2^" + (10 + logBlock) + " is out of range");
        }
        blockSize = 1024 << logBlock;
        boolean is64 = (incompat & INCOMPAT_64BIT) != 0;
        blocks = Le.u32(sb, 4) | (is64 ? Le.u32(sb, 0x150) << 32 : 0);
        inodes = Le.u32(sb, 0);
        firstDataBlock = Le.u32(sb, 20);
        blocksPerGroup = Le.u32(sb, 32);
        inodesPerGroup = Le.u32(sb, 40);
        inodeSize = Le.u32(sb, 76) == 0 ? 128 : Le.u16(sb, 88);
        descSize = is64 ? Le.u16(sb, 0xFE) : 32;
        if (blocks == 0 || blocks > partitionSize / blockSize) {
            throw damage(blocks + " blocks of " + blockSize + " bytes do not fit the partition of " + partitionSize + " bytes");
        }
        if (firstDataBlock != (blockSize == 1024 ? 1 : 0)) {
            throw damage("first data block " + firstDataBlock + " is wrong for block size " + blockSize);
        }
        if (blocksPerGroup == 0 || blocksPerGroup > 8L * blockSize) {
            throw damage("blocks per group " + blocksPerGroup + " is out of range");
        }
        if (inodesPerGroup == 0 || inodesPerGroup > 8L * blockSize) {
            throw damage("inodes per group " + inodesPerGroup + " is out of range");
        }
        if (inodeSize < 128 || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
            throw damage("inode size " + inodeSize + " is out of range");
        }
        if (descSize < 32 || descSize > 1024 || Integer.bitCount(descSize) != 1 || (is64 && descSize < 64)) {
            throw damage("group descriptor size " + descSize + " is out of range");
        }
        groups = (blocks - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
        if (inodes == 0 || inodes > groups * inodesPerGroup) {
            throw damage(inodes + " inodes do not fit " + groups + " groups of " + inodesPerGroup);
        }
        if (firstDataBlock + 1 + (groups * descSize + blockSize - 1) / blockSize > blocks) {
            throw damage("the group descriptors of " + groups + " groups do not fit the filesystem");
        }
        inodeTableBlocks = (inodesPerGroup * inodeSize + blockSize - 1) / blockSize;
        if ((incompat & INCOMPAT_CSUM_SEED) != 0) {
            csumSeed = Le.s32(sb, 0x270);
        } else {
            csumSeed = Crc32c.update(-1, sb, 0x68, 16);
        }
    }

    /** Reads and checks the superblock of the filesystem at the start of {@code source}. */
    static ExtSuperblock read(ByteSource source) throws IOException {
        if (source.size() < 2048) {
            throw damage("the partition is too small for a superblock");
        }
        byte[] sb = new byte[1024];
        source.readFully(1024, sb, 0, 1024);
        return new ExtSuperblock(sb, source.size());
    }

    String kind() {
        if ((incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG | INCOMPAT_INLINE_DATA)) != 0 || csum) {
            return "ext4";
        }
        return (compat & 0x4) != 0 ? "ext3" : "ext2";
    }

    boolean has(int incompatFeature) {
        return (incompat & incompatFeature) != 0;
    }

    private static String incompatNames(int bits) {
        String[] names = {"compression", "filetype", "recover", "journal_dev", "meta_bg", "0x20", "extents", "64bit", "mmp",
                "flex_bg", "ea_inode", "0x800", "dirdata", "metadata_csum_seed", "large_dir", "inline_data", "encrypt", "casefold"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(i < names.length ? names[i] : "0x" + Integer.toHexString(1 << i));
            }
        }
        return String.join(", ", out);
    }

    private static FilesystemDamageException damage(String what) {
        return new FilesystemDamageException("ext superblock: " + what);
    }
}
