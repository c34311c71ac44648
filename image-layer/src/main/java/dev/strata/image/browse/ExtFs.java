package dev.strata.image.browse;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the files of an ext2/3/4 filesystem in place: inodes through the group descriptors,
 * contents through extent trees or block maps (direct and indirect), folders linearly (an htree
 * folder's leaf blocks hold every name, its index blocks read as empty), inline data, fast and
 * slow symlinks, extended attributes in the inode and in a block. Metadata checksums are checked
 * where the filesystem has them. Every walk is bounded: extent trees by depth (each level exactly
 * one less), block maps by their fixed shape, folders by a size limit, and every block number is
 * checked against the filesystem's size before it is read. Thread-safe.
 */
final class ExtFs implements BrowsableFs {
    static final long ROOT = 2;
    private static final int EXTENT_MAGIC = 0xF30A;
    private static final int MAX_EXTENT_DEPTH = 5;
    /** Folders larger than this are taken as damage (a folder of a million long names is about 300 MiB). */
    private static final long MAX_DIR_BYTES = 1L << 30;
    private static final int MAX_LINK = 4096;
    private static final int CACHED_INODES = 4096;
    /** Names per folder: what a listing holds in memory is bounded, whatever the folder's size says. */
    static final int MAX_ENTRIES = 1_000_000;

    private final ByteSource source;
    private final ExtSuperblock sb;
    private final BlockCache cache;
    private volatile int maxEntries = MAX_ENTRIES;
    private final Map<Long, ExtInode> inodes = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ExtInode> eldest) {
            return size() > CACHED_INODES;
        }
    };

    private ExtFs(ByteSource source, ExtSuperblock sb) {
        this.source = source;
        this.sb = sb;
        this.cache = new BlockCache(source, sb.blockSize);
    }

    /** Opens the filesystem, checking its superblock and its root folder. */
    static ExtFs open(ByteSource source) throws IOException {
        ExtFs fs = new ExtFs(source, ExtSuperblock.read(source));
        if (fs.inode(ROOT).type != NodeType.DIRECTORY) {
            throw new FilesystemDamageException("ext inode 2 (the root) is not a folder");
        }
        return fs;
    }

    /** Lowers the names-per-folder limit (tests reach it without a folder of a million names). */
    ExtFs withEntryLimit(int limit) {
        maxEntries = limit;
        return this;
    }

    @Override
    public String kind() {
        return sb.kind();
    }

    @Override
    public FsNode root() throws IOException {
        return node(inode(ROOT));
    }

    private FsNode node(ExtInode in) {
        return new FsNode(in.number, in.type, in.mode, in.uid, in.gid, in.size, in.blocks512, in.atime(), in.mtime(), in.ctime(),
                in.links, in.rdev(), 0);
    }

    // ---- inodes

    ExtInode inode(long number) throws IOException {
        synchronized (inodes) {
            ExtInode in = inodes.get(number);
            if (in != null) {
                return in;
            }
        }
        ExtInode in = readInode(number);
        synchronized (inodes) {
            inodes.put(number, in);
        }
        return in;
    }

    private ExtInode readInode(long number) throws IOException {
        if (number < 1 || number > sb.inodes) {
            throw new FilesystemDamageException("ext inode " + number + " is out of range (1.." + sb.inodes + ")");
        }
        long group = (number - 1) / sb.inodesPerGroup;
        long index = (number - 1) % sb.inodesPerGroup;
        long table = inodeTable(group);
        long byteInTable = index * sb.inodeSize;
        byte[] block = cache.block(table + byteInTable / sb.blockSize);
        int off = (int) (byteInTable % sb.blockSize);
        byte[] raw = Arrays.copyOfRange(block, off, off + sb.inodeSize);
        if (sb.csum) {
            checkInode(number, raw);
        }
        ExtInode in = new ExtInode(number, raw, sb);
        if (in.links == 0 && number != ROOT) {
            throw new FilesystemDamageException("ext inode " + number + " is not in use (no links)");
        }
        return in;
    }

    private void checkInode(long number, byte[] raw) throws FilesystemDamageException {
        boolean hi = sb.inodeSize > 128 && Le.u16(raw, 0x80) >= 4;
        int want = Le.u16(raw, 0x7C) | (hi ? Le.u16(raw, 0x82) << 16 : 0);
        byte[] copy = raw.clone();
        copy[0x7C] = 0;
        copy[0x7D] = 0;
        if (hi) {
            copy[0x82] = 0;
            copy[0x83] = 0;
        }
        int crc = Crc32c.update(inodeSeed(number, Le.s32(raw, 0x64)), copy, 0, copy.length);
        if (!hi) {
            crc &= 0xFFFF;
        }
        if (crc != want) {
            throw new FilesystemDamageException("ext inode " + number + ": checksum mismatch");
        }
    }

    private int inodeSeed(long number, int generation) {
        return Crc32c.updateInt(Crc32c.updateInt(sb.csumSeed, (int) number), generation);
    }

    /** The first block of a group's inode table, from its (checked) descriptor. */
    private long inodeTable(long group) throws IOException {
        long byteInGdt = group * sb.descSize;
        long gdtBlock = sb.firstDataBlock + 1 + byteInGdt / sb.blockSize;
        byte[] block = cache.block(gdtBlock);
        int off = (int) (byteInGdt % sb.blockSize);
        if (sb.csum) {
            byte[] d = Arrays.copyOfRange(block, off, off + sb.descSize);
            int want = Le.u16(d, 0x1E);
            d[0x1E] = 0;
            d[0x1F] = 0;
            int crc = Crc32c.update(Crc32c.updateInt(sb.csumSeed, (int) group), d, 0, d.length) & 0xFFFF;
            if (crc != want) {
                throw new FilesystemDamageException("ext group " + group + ": descriptor checksum mismatch");
            }
        }
        long table = Le.u32(block, off + 8) | (sb.descSize >= 64 ? Le.u32(block, off + 0x28) << 32 : 0);
        if (table < 1 || table > sb.blocks - sb.inodeTableBlocks) {
            throw new FilesystemDamageException("ext group " + group + ": inode table at block " + table + " lies outside the filesystem");
        }
        return table;
    }

    // ---- block mapping

    /** A run of logical blocks: where it starts on disk, or -1 for a hole (or unwritten extent). */
    private record Run(long physical, long length) {
    }

    private Run map(ExtInode in, long logical) throws IOException {
        return in.has(ExtInode.FLAG_EXTENTS) ? mapExtent(in, logical) : mapBlock(in, logical);
    }

    private Run mapExtent(ExtInode in, long logical) throws IOException {
        byte[] node = in.raw;
        int base = ExtInode.IBLOCK;
        int nodeSize = ExtInode.IBLOCK_SIZE;
        int expectedDepth = -1;
        long limit = 1L << 32;
        for (int level = 0; ; level++) {
            String where = "ext inode " + in.number + ": extent tree";
            if (Le.u16(node, base) != EXTENT_MAGIC) {
                throw new FilesystemDamageException(where + ": bad node magic");
            }
            int entries = Le.u16(node, base + 2);
            int max = Le.u16(node, base + 4);
            int depth = Le.u16(node, base + 6);
            if (12 + 12L * max > nodeSize || entries > max) {
                throw new FilesystemDamageException(where + ": node claims " + entries + " of " + max + " entries");
            }
            if (depth > MAX_EXTENT_DEPTH || (expectedDepth >= 0 && depth != expectedDepth) || level > MAX_EXTENT_DEPTH) {
                throw new FilesystemDamageException(where + ": depth " + depth + " at level " + level);
            }
            int chosen = -1;
            long previous = -1;
            for (int i = 0; i < entries; i++) {
                long first = Le.u32(node, base + 12 + 12 * i);
                if (first <= previous) {
                    throw new FilesystemDamageException(where + ": entries out of order");
                }
                previous = first;
                if (first <= logical) {
                    chosen = i;
                } else {
                    limit = Math.min(limit, first);
                    break;
                }
            }
            if (chosen < 0) {
                return new Run(-1, Math.max(1, limit - logical));
            }
            int e = base + 12 + 12 * chosen;
            long first = Le.u32(node, e);
            if (depth == 0) {
                int rawLength = Le.u16(node, e + 4);
                boolean unwritten = rawLength > 32768;
                long length = unwritten ? rawLength - 32768 : rawLength;
                long start = Le.u16(node, e + 6) << 32 | Le.u32(node, e + 8);
                if (first + length > limit) {
                    throw new FilesystemDamageException(where + ": extents overlap");
                }
                if (length == 0 || start < 1 || start + length > sb.blocks) {
                    throw new FilesystemDamageException(where + ": extent of " + length + " blocks at " + start + " lies outside the filesystem");
                }
                if (logical >= first + length) {
                    return new Run(-1, limit - logical);
                }
                return new Run(unwritten ? -1 : start + (logical - first), first + length - logical);
            }
            long child = Le.u16(node, e + 8) << 32 | Le.u32(node, e + 4);
            if (child < 1 || child >= sb.blocks) {
                throw new FilesystemDamageException(where + ": index points to block " + child + " outside the filesystem");
            }
            node = cache.block(child);
            base = 0;
            nodeSize = sb.blockSize;
            expectedDepth = depth - 1;
            if (sb.csum) {
                int max2 = Le.u16(node, 4);
                int tail = 12 + 12 * max2;
                if (tail + 4 <= nodeSize && Le.u16(node, 0) == EXTENT_MAGIC
                        && Crc32c.update(inodeSeed(in.number, in.generation), node, 0, tail) != Le.s32(node, tail)) {
                    throw new FilesystemDamageException(where + ": checksum mismatch in block " + child);
                }
            }
        }
    }

    private Run mapBlock(ExtInode in, long logical) throws IOException {
        long perBlock = sb.blockSize / 4;
        long l = logical;
        if (l < 12) {
            return direct(in, Le.u32(in.raw, ExtInode.IBLOCK + 4 * (int) l));
        }
        l -= 12;
        int[] path;
        int slot;
        if (l < perBlock) {
            slot = 12;
            path = new int[]{(int) l};
        } else if ((l -= perBlock) < perBlock * perBlock) {
            slot = 13;
            path = new int[]{(int) (l / perBlock), (int) (l % perBlock)};
        } else if ((l -= perBlock * perBlock) < perBlock * perBlock * perBlock) {
            slot = 14;
            path = new int[]{(int) (l / (perBlock * perBlock)), (int) (l / perBlock % perBlock), (int) (l % perBlock)};
        } else {
            throw new FilesystemDamageException("ext inode " + in.number + ": block " + logical + " is beyond what a block map holds");
        }
        long ptr = Le.u32(in.raw, ExtInode.IBLOCK + 4 * slot);
        for (int level = 0; level < path.length; level++) {
            if (ptr == 0) {
                // A missing indirect block is a hole as long as the rest of what it would map.
                long span = 1;
                long offset = 0;
                for (int k = path.length - 1; k >= level; k--) {
                    offset += path[k] * span;
                    span *= perBlock;
                }
                return new Run(-1, span - offset);
            }
            checkBlock(in, ptr);
            ptr = Le.u32(cache.block(ptr), 4 * path[level]);
        }
        return direct(in, ptr);
    }

    private Run direct(ExtInode in, long ptr) throws FilesystemDamageException {
        if (ptr == 0) {
            return new Run(-1, 1);
        }
        checkBlock(in, ptr);
        return new Run(ptr, 1);
    }

    private void checkBlock(ExtInode in, long block) throws FilesystemDamageException {
        if (block < 1 || block >= sb.blocks) {
            throw new FilesystemDamageException("ext inode " + in.number + ": block " + block + " lies outside the filesystem");
        }
    }

    /** The largest size a file of this inode's layout can have. */
    private long maxSize(ExtInode in) {
        long bs = sb.blockSize;
        if (in.has(ExtInode.FLAG_EXTENTS) || in.has(ExtInode.FLAG_INLINE_DATA)) {
            return (1L << 32) * bs;
        }
        long p = bs / 4;
        return (12 + p + p * p + p * p * p) * bs;
    }

    // ---- contents

    @Override
    public int read(FsNode file, long offset, byte[] dst, int dstOffset, int length) throws IOException {
        ExtInode in = inode(file.id());
        if (in.type != NodeType.FILE) {
            throw new FilesystemDamageException("ext inode " + in.number + " is not a regular file");
        }
        return readData(in, offset, dst, dstOffset, length);
    }

    private int readData(ExtInode in, long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (in.size > maxSize(in)) {
            throw new FilesystemDamageException("ext inode " + in.number + ": size " + in.size + " is larger than its layout allows");
        }
        if (offset >= in.size || length <= 0) {
            return 0;
        }
        int n = (int) Math.min(length, in.size - offset);
        if (in.has(ExtInode.FLAG_INLINE_DATA)) {
            // Past its inline bytes the file reads as zeros, as the kernel reads it (mke2fs -d stores zero tails so).
            byte[] data = inlineData(in);
            int have = (int) Math.max(0, Math.min(n, data.length - offset));
            if (have > 0) {
                System.arraycopy(data, (int) offset, dst, dstOffset, have);
            }
            Arrays.fill(dst, dstOffset + have, dstOffset + n, (byte) 0);
            return n;
        }
        long bs = sb.blockSize;
        long pos = offset;
        long end = offset + n;
        while (pos < end) {
            long logical = pos / bs;
            int inBlock = (int) (pos % bs);
            Run run = map(in, logical);
            long physical = run.physical();
            long needed = (end - 1) / bs - logical + 1;
            long runBlocks = Math.min(run.length(), needed);
            // Block maps give one block per lookup: read physically consecutive blocks in one go.
            while (physical >= 0 && runBlocks < needed && !in.has(ExtInode.FLAG_EXTENTS)
                    && map(in, logical + runBlocks).physical() == physical + runBlocks) {
                runBlocks++;
            }
            int count = (int) Math.min(end - pos, runBlocks * bs - inBlock);
            int at = dstOffset + (int) (pos - offset);
            if (physical < 0) {
                Arrays.fill(dst, at, at + count, (byte) 0);
            } else {
                source.readFully(physical * bs + inBlock, dst, at, count);
            }
            pos += count;
        }
        return n;
    }

    @Override
    public List<DataRun> dataRuns(FsNode file) throws IOException {
        ExtInode in = inode(file.id());
        if (in.type != NodeType.FILE) {
            throw new FilesystemDamageException("ext inode " + in.number + " is not a regular file");
        }
        if (in.size > maxSize(in)) {
            throw new FilesystemDamageException("ext inode " + in.number + ": size " + in.size + " is larger than its layout allows");
        }
        List<DataRun> out = new ArrayList<>();
        if (in.has(ExtInode.FLAG_INLINE_DATA) || in.size == 0) {
            return out;
        }
        long bs = sb.blockSize;
        long blocks = (in.size + bs - 1) / bs;
        for (long logical = 0; logical < blocks; ) {
            Run run = map(in, logical);
            long count = Math.min(run.length(), blocks - logical);
            if (run.physical() >= 0) {
                long fileOffset = logical * bs;
                long position = run.physical() * bs;
                long length = Math.min(count * bs, in.size - fileOffset);
                DataRun last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last.end() == position && last.fileOffset() + last.length() == fileOffset) {
                    out.set(out.size() - 1, new DataRun(last.fileOffset(), last.position(), last.length() + length));
                } else {
                    out.add(new DataRun(fileOffset, position, length));
                }
            }
            logical += count;
        }
        return out;
    }

    /** i_block's 60 bytes followed by the {@code system.data} attribute: an inline file's or folder's bytes. */
    private byte[] inlineData(ExtInode in) throws FilesystemDamageException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in.raw, ExtInode.IBLOCK, ExtInode.IBLOCK_SIZE);
        for (Xattr x : inodeXattrs(in)) {
            if (x.name().equals("system.data")) {
                out.writeBytes(x.value());
            }
        }
        return out.toByteArray();
    }

    @Override
    public byte[] readLink(FsNode link) throws IOException {
        ExtInode in = inode(link.id());
        if (in.type != NodeType.SYMLINK) {
            throw new FilesystemDamageException("ext inode " + in.number + " is not a symlink");
        }
        if (in.size == 0 || in.size > MAX_LINK) {
            throw new FilesystemDamageException("ext inode " + in.number + ": symlink of " + in.size + " bytes");
        }
        int size = (int) in.size;
        if (!in.has(ExtInode.FLAG_INLINE_DATA) && !in.has(ExtInode.FLAG_EXTENTS) && size < ExtInode.IBLOCK_SIZE) {
            return Arrays.copyOfRange(in.raw, ExtInode.IBLOCK, ExtInode.IBLOCK + size);
        }
        byte[] b = new byte[size];
        int got = readData(in, 0, b, 0, size);
        return got == size ? b : Arrays.copyOf(b, got);
    }

    // ---- folders

    @Override
    public List<FsChild> list(FsNode dir) throws IOException {
        ExtInode in = inode(dir.id());
        if (in.type != NodeType.DIRECTORY) {
            throw new FilesystemDamageException("ext inode " + in.number + " is not a folder");
        }
        List<FsChild> out = new ArrayList<>();
        if (in.has(ExtInode.FLAG_INLINE_DATA)) {
            byte[] data = inlineData(in);
            // The first four bytes are the parent's inode number; then entries, in i_block and in system.data.
            entries(in, data, 4, ExtInode.IBLOCK_SIZE, out);
            entries(in, data, ExtInode.IBLOCK_SIZE, data.length, out);
            return out;
        }
        // A folder has no holes, so it cannot be larger than the filesystem.
        if (in.size > Math.min(MAX_DIR_BYTES, sb.blocks * sb.blockSize) || in.size % sb.blockSize != 0) {
            throw new FilesystemDamageException("ext inode " + in.number + ": folder size " + in.size
                    + " is not a whole number of blocks below 1 GiB and the filesystem's size");
        }
        byte[] block = new byte[sb.blockSize];
        for (long b = 0; b < in.size / sb.blockSize; b++) {
            Run run = map(in, b);
            if (run.physical() < 0) {
                throw new FilesystemDamageException("ext inode " + in.number + ": folder block " + b + " is a hole");
            }
            source.readFully(run.physical() * sb.blockSize, block, 0, block.length);
            int end = block.length;
            if (sb.csum && hasDirTail(block)) {
                end -= 12;
                if (Crc32c.update(inodeSeed(in.number, in.generation), block, 0, end) != Le.s32(block, end + 8)) {
                    throw new FilesystemDamageException("ext inode " + in.number + ": checksum mismatch in folder block " + b);
                }
            }
            entries(in, block, 0, end, out);
        }
        return out;
    }

    private static boolean hasDirTail(byte[] block) {
        int t = block.length - 12;
        return Le.s32(block, t) == 0 && Le.u16(block, t + 4) == 12 && Le.u8(block, t + 6) == 0 && Le.u8(block, t + 7) == 0xDE;
    }

    private void entries(ExtInode dir, byte[] b, int start, int end, List<FsChild> out) throws IOException {
        boolean fileType = sb.has(ExtSuperblock.INCOMPAT_FILETYPE);
        int pos = start;
        while (pos < end) {
            if (end - pos < 8) {
                throw new FilesystemDamageException("ext inode " + dir.number + ": folder entry cut short at byte " + pos);
            }
            long ino = Le.u32(b, pos);
            int recLen = Le.u16(b, pos + 4);
            if (recLen == 0 && sb.blockSize == 65536 && pos == 0 && end == 65536) {
                recLen = 65536;
            }
            int nameLen = fileType ? Le.u8(b, pos + 6) : Le.u16(b, pos + 6);
            if (recLen < 8 || recLen % 4 != 0 || recLen > end - pos) {
                throw new FilesystemDamageException("ext inode " + dir.number + ": folder entry with record length " + recLen + " at byte " + pos);
            }
            if (ino != 0) {
                if (nameLen == 0 || 8 + nameLen > recLen) {
                    throw new FilesystemDamageException("ext inode " + dir.number + ": folder entry name of " + nameLen + " bytes at byte " + pos);
                }
                byte[] nameBytes = Arrays.copyOfRange(b, pos + 8, pos + 8 + nameLen);
                String name = NameBytes.decode(nameBytes);
                if (!name.equals(".") && !name.equals("..")) {
                    if (out.size() >= maxEntries) {
                        throw new FilesystemDamageException("ext inode " + dir.number + ": folder holds more than " + maxEntries + " names");
                    }
                    out.add(child(dir, name, nameBytes, ino));
                }
            }
            pos += recLen;
        }
    }

    private FsChild child(ExtInode dir, String name, byte[] nameBytes, long ino) throws IOException {
        for (byte c : nameBytes) {
            if (c == '/' || c == 0) {
                return new FsChild(name, null, "ext inode " + dir.number + ": folder entry name holds '/' or NUL");
            }
        }
        try {
            return new FsChild(name, node(inode(ino)), "");
        } catch (FilesystemDamageException e) {
            return new FsChild(name, null, e.getMessage());
        }
    }

    // ---- extended attributes

    @Override
    public List<Xattr> xattrs(FsNode node) throws IOException {
        ExtInode in = inode(node.id());
        List<Xattr> out = new ArrayList<>();
        for (Xattr x : inodeXattrs(in)) {
            if (!x.name().equals("system.data")) {
                out.add(x);
            }
        }
        if (in.xattrBlock != 0) {
            out.addAll(blockXattrs(in));
        }
        return out;
    }

    private List<Xattr> inodeXattrs(ExtInode in) throws FilesystemDamageException {
        int start = 128 + in.extraSize;
        if (sb.inodeSize <= 128 || start + 4 > sb.inodeSize || Le.u32(in.raw, start) != ExtXattrs.MAGIC) {
            return List.of();
        }
        return ExtXattrs.parse(in.raw, start + 4, start + 4, sb.inodeSize, "ext inode " + in.number);
    }

    private List<Xattr> blockXattrs(ExtInode in) throws IOException {
        long block = in.xattrBlock;
        String where = "ext inode " + in.number + ": attribute block " + block;
        if (block < 1 || block >= sb.blocks) {
            throw new FilesystemDamageException(where + " lies outside the filesystem");
        }
        byte[] b = cache.block(block);
        if (Le.u32(b, 0) != ExtXattrs.MAGIC || Le.u32(b, 8) != 1) {
            throw new FilesystemDamageException(where + ": bad header");
        }
        if (sb.csum) {
            byte[] copy = b.clone();
            Arrays.fill(copy, 0x10, 0x14, (byte) 0);
            if (Crc32c.update(Crc32c.updateLong(sb.csumSeed, block), copy, 0, copy.length) != Le.s32(b, 0x10)) {
                throw new FilesystemDamageException(where + ": checksum mismatch");
            }
        }
        return ExtXattrs.parse(b, 32, 0, b.length, where);
    }
}
