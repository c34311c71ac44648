package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the files of a FAT12/16/32 filesystem in place, with long (VFAT) names. Cluster chains are
 * followed at most as far as the file needs and never longer than the filesystem has clusters, so
 * a looping chain ends in an error; every cluster number is checked before it is read. FAT keeps
 * no owners: nodes have uid and gid -1 (the viewer's), modes 0755/0644 (0555/0444 when
 * read-only). FAT stores times as local wall-clock time without a zone: they are read in the zone
 * given when opening (the machine's own by default), as Windows and Linux show them. Thread-safe.
 */
final class FatFs implements BrowsableFs {
    /** The FAT limit of 65536 entries per folder. */
    private static final int MAX_DIR_ENTRIES = 65536;
    private static final int CACHED_CHAINS = 64;
    private static final int ATTR_READ_ONLY = 0x01;
    private static final int ATTR_VOLUME = 0x08;
    private static final int ATTR_DIRECTORY = 0x10;
    private static final int ATTR_LONG_NAME = 0x0F;

    private final ByteSource source;
    private final String kind;
    private final int bits;
    private final long bytesPerSector;
    private final long clusterSize;
    private final long fatStart;
    private final long fatBytes;
    private final long rootStart;
    private final long rootEntries;
    private final long rootCluster;
    private final long dataStart;
    private final long clusters;
    private final Map<Long, long[]> chains = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > CACHED_CHAINS;
        }
    };

    private final ZoneId zone;

    private FatFs(ByteSource source, byte[] boot, ZoneId zone) throws FilesystemDamageException {
        this.source = source;
        this.zone = zone;
        bytesPerSector = Le.u16(boot, 11);
        int perCluster = Le.u8(boot, 13);
        long reserved = Le.u16(boot, 14);
        int fats = Le.u8(boot, 16);
        rootEntries = Le.u16(boot, 17);
        long total = Le.u16(boot, 19) != 0 ? Le.u16(boot, 19) : Le.u32(boot, 32);
        long fatSectors = Le.u16(boot, 22) != 0 ? Le.u16(boot, 22) : Le.u32(boot, 36);
        if (bytesPerSector < 512 || bytesPerSector > 4096 || Long.bitCount(bytesPerSector) != 1) {
            throw damage("sector size " + bytesPerSector + " is out of range");
        }
        if (perCluster == 0 || Integer.bitCount(perCluster) != 1 || reserved == 0 || fats == 0 || fatSectors == 0) {
            throw damage("boot sector geometry is inconsistent");
        }
        if (total * bytesPerSector > source.size()) {
            throw damage(total + " sectors do not fit the partition of " + source.size() + " bytes");
        }
        clusterSize = perCluster * bytesPerSector;
        long rootSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        long dataSector = reserved + fats * fatSectors + rootSectors;
        if (dataSector >= total) {
            throw damage("no room for data after the tables");
        }
        clusters = (total - dataSector) / perCluster;
        bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
        kind = "fat" + bits;
        fatStart = reserved * bytesPerSector;
        fatBytes = fatSectors * bytesPerSector;
        if ((clusters + 2) * bits / 8 > fatBytes) {
            throw damage("the table is too small for " + clusters + " clusters");
        }
        rootStart = (reserved + fats * fatSectors) * bytesPerSector;
        dataStart = dataSector * bytesPerSector;
        if (bits == 32) {
            rootCluster = Le.u32(boot, 44) & 0x0FFFFFFF;
            if (rootEntries != 0 || !validCluster(rootCluster)) {
                throw damage("FAT32 root folder cluster " + rootCluster + " is out of range");
            }
        } else {
            rootCluster = 0;
            if (rootEntries == 0) {
                throw damage("no root folder entries");
            }
        }
    }

    static boolean looksLikeFat(byte[] boot) {
        int jump = Le.u8(boot, 0);
        return (jump == 0xEB || jump == 0xE9) && Le.u8(boot, 510) == 0x55 && Le.u8(boot, 511) == 0xAA
                && Le.u16(boot, 11) >= 512 && Le.u8(boot, 13) != 0 && Le.u8(boot, 16) != 0
                && !new String(boot, 3, 8, StandardCharsets.ISO_8859_1).startsWith("NTFS")
                && !new String(boot, 3, 8, StandardCharsets.ISO_8859_1).startsWith("EXFAT");
    }

    /** Opens the filesystem; its local times are read in {@code zone}. */
    static FatFs open(ByteSource source, ZoneId zone) throws IOException {
        byte[] boot = new byte[512];
        source.readFully(0, boot, 0, boot.length);
        return new FatFs(source, boot, zone);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public FsNode root() {
        Timestamp t = Timestamp.EPOCH;
        return new FsNode(1, NodeType.DIRECTORY, 0755, -1, -1, 0, 0, t, t, t, 2, 0, rootCluster);
    }

    private boolean validCluster(long c) {
        return c >= 2 && c < clusters + 2;
    }

    /** The next cluster after {@code c}, or -1 at the end of the chain. */
    private long next(long c) throws IOException {
        long off = bits == 12 ? c + c / 2 : c * (bits / 8);
        byte[] b = new byte[4];
        source.readFully(fatStart + off, b, 0, bits == 32 ? 4 : 2);
        long v = bits == 32 ? Le.u32(b, 0) & 0x0FFFFFFF : Le.u16(b, 0);
        if (bits == 12) {
            v = (c & 1) != 0 ? v >>> 4 : v & 0xFFF;
        }
        long end = bits == 12 ? 0xFF8 : bits == 16 ? 0xFFF8 : 0x0FFFFFF8;
        if (v >= end) {
            return -1;
        }
        if (!validCluster(v)) {
            throw damage("cluster " + c + " is followed by " + v + ", which is free, bad or out of range");
        }
        return v;
    }

    /** The first {@code count} clusters of the chain starting at {@code first} (fewer if it ends sooner). */
    private long[] chain(long first, long count) throws IOException {
        if (!validCluster(first)) {
            throw damage("a chain starts at cluster " + first + ", out of range");
        }
        if (count > clusters) {
            throw damage("a chain of " + count + " clusters is longer than the filesystem's " + clusters);
        }
        synchronized (chains) {
            long[] c = chains.get(first);
            if (c != null && c.length >= count) {
                return c;
            }
        }
        long[] out = new long[(int) count];
        int n = 0;
        for (long c = first; c >= 0 && n < count; c = next(c)) {
            out[n++] = c;
        }
        long[] c = n == count ? out : Arrays.copyOf(out, n);
        synchronized (chains) {
            chains.put(first, c);
        }
        return c;
    }

    @Override
    public int read(FsNode file, long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (file.type() != NodeType.FILE) {
            throw damage("entry " + file.id() + " is not a file");
        }
        if (offset >= file.size() || length <= 0) {
            return 0;
        }
        int n = (int) Math.min(length, file.size() - offset);
        long[] chain = chain(file.ref(), (file.size() + clusterSize - 1) / clusterSize);
        if (chain.length * clusterSize < file.size()) {
            throw damage("the chain of entry " + file.id() + " ends before its size of " + file.size() + " bytes");
        }
        long pos = offset;
        long end = offset + n;
        while (pos < end) {
            int index = (int) (pos / clusterSize);
            long inCluster = pos % clusterSize;
            long bytes = clusterSize - inCluster;
            // Consecutive clusters are read in one go.
            for (int k = index; pos + bytes < end && k + 1 < chain.length && chain[k + 1] == chain[k] + 1; k++) {
                bytes += clusterSize;
            }
            int count = (int) Math.min(bytes, end - pos);
            source.readFully(dataStart + (chain[index] - 2) * clusterSize + inCluster, dst, dstOffset + (int) (pos - offset), count);
            pos += count;
        }
        return n;
    }

    @Override
    public List<DataRun> dataRuns(FsNode file) throws IOException {
        if (file.type() != NodeType.FILE) {
            throw damage("entry " + file.id() + " is not a file");
        }
        List<DataRun> out = new ArrayList<>();
        if (file.size() == 0) {
            return out;
        }
        long[] chain = chain(file.ref(), (file.size() + clusterSize - 1) / clusterSize);
        if (chain.length * clusterSize < file.size()) {
            throw damage("the chain of entry " + file.id() + " ends before its size of " + file.size() + " bytes");
        }
        for (int k = 0; k < chain.length; k++) {
            long fileOffset = k * clusterSize;
            long position = dataStart + (chain[k] - 2) * clusterSize;
            long length = Math.min(clusterSize, file.size() - fileOffset);
            DataRun last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == position) {
                out.set(out.size() - 1, new DataRun(last.fileOffset(), last.position(), last.length() + length));
            } else {
                out.add(new DataRun(fileOffset, position, length));
            }
        }
        return out;
    }

    @Override
    public List<FsChild> list(FsNode dir) throws IOException {
        if (dir.type() != NodeType.DIRECTORY) {
            throw damage("entry " + dir.id() + " is not a folder");
        }
        List<FsChild> out = new ArrayList<>();
        Entries entries = new Entries(out);
        if (dir.ref() == 0) {
            if (bits == 32) {
                throw damage("a folder entry names cluster 0");
            }
            byte[] b = new byte[(int) (rootEntries * 32)];
            source.readFully(rootStart, b, 0, b.length);
            entries.add(b, rootStart);
            return out;
        }
        long max = MAX_DIR_ENTRIES * 32L / clusterSize + 1;
        long[] chain = chain(dir.ref(), Math.min(max, clusters));
        if (chain.length == max) {
            throw damage("folder " + dir.id() + " is longer than 65536 entries");
        }
        byte[] b = new byte[(int) clusterSize];
        for (long c : chain) {
            long at = dataStart + (c - 2) * clusterSize;
            source.readFully(at, b, 0, b.length);
            if (!entries.add(b, at)) {
                break;
            }
        }
        return out;
    }

    /** Collects the entries of one folder, long names spanning several entries. */
    private final class Entries {
        private final List<FsChild> out;
        private final char[] longName = new char[20 * 13];
        private int expected = -1;
        private int checksum;
        private int longLength;

        Entries(List<FsChild> out) {
            this.out = out;
        }

        /** Adds the entries in {@code b} (read from byte {@code at}); false once the end marker is met. */
        boolean add(byte[] b, long at) throws FilesystemDamageException {
            for (int e = 0; e + 32 <= b.length; e += 32) {
                int first = Le.u8(b, e);
                if (first == 0) {
                    return false;
                }
                int attr = Le.u8(b, e + 11);
                if (first == 0xE5) {
                    expected = -1;
                    continue;
                }
                if ((attr & 0x3F) == ATTR_LONG_NAME) {
                    longPart(b, e);
                    continue;
                }
                String name = expected == 0 && checksum == shortChecksum(b, e) ? new String(longName, 0, longLength) : shortName(b, e);
                expected = -1;
                if ((attr & ATTR_VOLUME) != 0 || name.equals(".") || name.equals("..")) {
                    continue;
                }
                out.add(entry(b, e, at + e, name, attr));
            }
            return true;
        }

        private void longPart(byte[] b, int e) {
            int order = Le.u8(b, e);
            int seq = order & 0x1F;
            if ((order & 0x40) != 0) {
                expected = seq;
                checksum = Le.u8(b, e + 13);
                longLength = -1;
                Arrays.fill(longName, '\0');
            }
            if (seq == 0 || seq != expected || seq > 20 || Le.u8(b, e + 13) != checksum) {
                expected = -1;
                return;
            }
            int base = (seq - 1) * 13;
            int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
            for (int i = 0; i < 13; i++) {
                char ch = (char) Le.u16(b, e + offsets[i]);
                if (ch == 0 && longLength < 0) {
                    longLength = base + i;
                }
                longName[base + i] = ch;
            }
            if (longLength < 0 && (order & 0x40) != 0) {
                longLength = base + 13;
            }
            expected = seq - 1;
        }

        private FsChild entry(byte[] b, int e, long position, String name, int attr) {
            long cluster = Le.u16(b, e + 26) | (bits == 32 ? (long) Le.u16(b, e + 20) << 16 : 0);
            long size = Le.u32(b, e + 28);
            boolean dir = (attr & ATTR_DIRECTORY) != 0;
            if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0 || name.isEmpty()) {
                return new FsChild(name, null, "FAT entry at byte " + position + " has a name with '/' or NUL");
            }
            if (cluster != 0 && !validCluster(cluster) || dir && cluster == 0 || !dir && size > 0 && cluster == 0) {
                return new FsChild(name, null, "FAT entry '" + name + "' starts at cluster " + cluster + ", out of range");
            }
            int mode = dir ? 0755 : 0644;
            if ((attr & ATTR_READ_ONLY) != 0) {
                mode &= 0555;
            }
            Timestamp mtime = time(Le.u16(b, e + 24), Le.u16(b, e + 22), 0);
            Timestamp atime = time(Le.u16(b, e + 18), 0, 0);
            Timestamp ctime = time(Le.u16(b, e + 16), Le.u16(b, e + 14), Le.u8(b, e + 13));
            long blocks = dir ? 0 : (size + clusterSize - 1) / clusterSize * (clusterSize / 512);
            FsNode node = new FsNode(position, dir ? NodeType.DIRECTORY : NodeType.FILE, mode, -1, -1, dir ? 0 : size, blocks,
                    atime, mtime, ctime, dir ? 2 : 1, 0, cluster);
            return new FsChild(name, node, "");
        }
    }

    private static int shortChecksum(byte[] b, int e) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) | ((sum & 0xFF) >>> 1)) + Le.u8(b, e + i);
            sum &= 0xFF;
        }
        return sum;
    }

    /** The 8.3 name, lower-cased where the entry's case flags say so (as Windows NT stores "readme.txt"). */
    private static String shortName(byte[] b, int e) {
        int flags = Le.u8(b, e + 12);
        byte[] base = Arrays.copyOfRange(b, e, e + 8);
        if (base[0] == 0x05) {
            base[0] = (byte) 0xE5;
        }
        String name = new String(base, StandardCharsets.ISO_8859_1).stripTrailing();
        String ext = new String(b, e + 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        if ((flags & 0x08) != 0) {
            name = name.toLowerCase(java.util.Locale.ROOT);
        }
        if ((flags & 0x10) != 0) {
            ext = ext.toLowerCase(java.util.Locale.ROOT);
        }
        return ext.isEmpty() ? name : name + "." + ext;
    }

    /**
     * A FAT date and time (local, two-second steps, creation times with 10 ms more) in this
     * filesystem's zone; a time that a daylight-saving change skips moves forward by the gap, a time
     * it repeats takes the earlier offset.
     */
    private Timestamp time(int date, int time, int tenths) {
        if (date == 0) {
            return Timestamp.EPOCH;
        }
        try {
            LocalDateTime t = LocalDateTime.of(1980 + (date >>> 9), (date >>> 5) & 15, date & 31, time >>> 11, (time >>> 5) & 63,
                    (time & 31) * 2 + Math.min(tenths, 199) / 100, (Math.min(tenths, 199) % 100) * 10_000_000);
            return new Timestamp(t.atZone(zone).toEpochSecond(), t.getNano());
        } catch (DateTimeException e) {
            return Timestamp.EPOCH;
        }
    }

    @Override
    public byte[] readLink(FsNode link) throws IOException {
        throw damage("FAT has no symlinks");
    }

    @Override
    public List<Xattr> xattrs(FsNode node) {
        return List.of();
    }

    private static FilesystemDamageException damage(String what) {
        return new FilesystemDamageException("FAT: " + what);
    }
}
