package dev.strata.image.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Reads a GPT: the primary header at LBA 1 and the backup header at the device's last LBA, each
 * checked (signature, header CRC32, its own LBA, the CRC32 of its entry array). The primary is used
 * when sound, else the backup; every damage found is reported. Stateless.
 */
final class GptReader {
    private static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ENTRIES_BYTES = 1 << 20;

    private GptReader() {
    }

    /** A header whose checks passed, with its entries. */
    private record Header(long myLba, long alternateLba, String diskGuid, long entriesCrc, List<Partition> partitions) {
    }

    static boolean hasSignature(byte[] sector) {
        return sector.length >= 8 && Arrays.equals(sector, 0, 8, SIGNATURE, 0, 8);
    }

    static PartitionTable read(MbrReader.SectorSource src, int sectorSize, long deviceSize) throws IOException {
        List<String> problems = new ArrayList<>();
        long lastLba = deviceSize / sectorSize - 1;
        Header primary = header(src, 1, sectorSize, deviceSize, "primary", problems);
        long backupLba = primary != null && primary.alternateLba() <= lastLba ? primary.alternateLba() : lastLba;
        Header backup = header(src, backupLba, sectorSize, deviceSize, "backup", problems);
        if (primary != null && backup != null) {
            if (primary.entriesCrc() != backup.entriesCrc()) {
                problems.add("the primary and backup GPT partition arrays differ; using the primary");
            }
            if (backupLba != lastLba) {
                problems.add("the backup GPT header is at LBA " + backupLba + ", not at the device's last LBA " + lastLba
                        + " (was the device grown?)");
            }
        } else if (primary != null) {
            problems.add("the backup GPT header is missing or damaged; the primary is sound");
        } else if (backup != null) {
            problems.add("the primary GPT header is damaged; using the backup");
        } else {
            return new PartitionTable(PartitionTable.GPT, sectorSize, "", List.of(), problems);
        }
        Header use = primary != null ? primary : backup;
        return new PartitionTable(PartitionTable.GPT, sectorSize, use.diskGuid(), use.partitions(), problems);
    }

    private static Header header(MbrReader.SectorSource src, long lba, int sectorSize, long deviceSize, String which,
                                 List<String> problems) throws IOException {
        if (lba < 1 || (lba + 1) * sectorSize > deviceSize) {
            problems.add("the " + which + " GPT header's LBA " + lba + " is outside the device");
            return null;
        }
        byte[] s;
        try {
            s = src.sector(lba * sectorSize);
        } catch (IOException e) {
            problems.add("the " + which + " GPT header cannot be read: " + e.getMessage());
            return null;
        }
        if (!hasSignature(s)) {
            problems.add("no " + which + " GPT header at LBA " + lba);
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = b.getInt(12);
        if (headerSize < 92 || headerSize > sectorSize) {
            problems.add("the " + which + " GPT header has an impossible size " + headerSize);
            return null;
        }
        long storedCrc = Integer.toUnsignedLong(b.getInt(16));
        byte[] copy = Arrays.copyOf(s, headerSize);
        Arrays.fill(copy, 16, 20, (byte) 0);
        if (crc(copy, 0, headerSize) != storedCrc) {
            problems.add("the " + which + " GPT header at LBA " + lba + " fails its CRC32 check");
            return null;
        }
        if (b.getLong(24) != lba) {
            problems.add("the " + which + " GPT header at LBA " + lba + " says it is at LBA " + b.getLong(24));
            return null;
        }
        long alternate = b.getLong(32);
        String diskGuid = guid(s, 56);
        long entriesLba = b.getLong(72);
        long count = Integer.toUnsignedLong(b.getInt(80));
        long entrySize = Integer.toUnsignedLong(b.getInt(84));
        long entriesCrc = Integer.toUnsignedLong(b.getInt(88));
        long bytes = count * entrySize;
        if (entrySize < 128 || bytes > MAX_ENTRIES_BYTES || entriesLba * sectorSize + bytes > deviceSize) {
            problems.add("the " + which + " GPT header describes an impossible partition array");
            return null;
        }
        byte[] entries = new byte[(int) bytes];
        int sectors = (int) ((bytes + sectorSize - 1) / sectorSize);
        for (int i = 0; i < sectors; i++) {
            byte[] sec = src.sector((entriesLba + i) * sectorSize);
            System.arraycopy(sec, 0, entries, i * sectorSize, (int) Math.min(sectorSize, bytes - (long) i * sectorSize));
        }
        if (crc(entries, 0, entries.length) != entriesCrc) {
            problems.add("the " + which + " GPT partition array fails its CRC32 check");
            return null;
        }
        List<Partition> parts = new ArrayList<>();
        ByteBuffer e = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int off = (int) (i * entrySize);
            String type = guid(entries, off);
            if (type.equals("00000000-0000-0000-0000-000000000000")) {
                continue;
            }
            long first = e.getLong(off + 32);
            long last = e.getLong(off + 40);
            if (last < first) {
                problems.add("GPT partition " + (i + 1) + " ends before it starts");
                continue;
            }
            String name = new String(entries, off + 56, 72, StandardCharsets.UTF_16LE);
            int nul = name.indexOf('\0');
            name = nul >= 0 ? name.substring(0, nul) : name;
            parts.add(new Partition(i + 1, first * sectorSize, (last - first + 1) * sectorSize, type, name, guid(entries, off + 16)));
        }
        return new Header(lba, alternate, diskGuid, entriesCrc, parts);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    /** A GUID in its textual form: the first three fields are little-endian on disk. */
    static String guid(byte[] b, int off) {
        ByteBuffer g = ByteBuffer.wrap(b, off, 16).order(ByteOrder.LITTLE_ENDIAN);
        int d1 = g.getInt();
        short d2 = g.getShort();
        short d3 = g.getShort();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%08x-%04x-%04x-", d1, d2 & 0xFFFF, d3 & 0xFFFF));
        for (int i = 8; i < 16; i++) {
            if (i == 10) {
                sb.append('-');
            }
            sb.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xFF));
        }
        return sb.toString();
    }
}
