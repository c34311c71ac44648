package dev.strata.image.partition;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an MBR partition table: the four primary entries and the chain of extended boot records
 * that hold logical partitions (numbered from 5). Stateless.
 */
final class MbrReader {
    static final int PROTECTIVE_GPT = 0xEE;
    private static final int MAX_LOGICAL = 128;

    private MbrReader() {
    }

    /** Reads one sector at a byte offset (the reader of the table's device). */
    interface SectorSource {
        byte[] sector(long offset) throws java.io.IOException;
    }

    static boolean hasSignature(byte[] s) {
        return s.length >= 512 && (s[510] & 0xFF) == 0x55 && (s[511] & 0xFF) == 0xAA;
    }

    /** Whether sector 0 is a filesystem's boot sector (a superfloppy) rather than an MBR. */
    static boolean isVolumeBootRecord(byte[] s) {
        int jump = s[0] & 0xFF;
        if (jump != 0xEB && jump != 0xE9) {
            return false;
        }
        String oem = new String(s, 3, 8, java.nio.charset.StandardCharsets.US_ASCII);
        if (oem.startsWith("NTFS") || oem.startsWith("EXFAT")) {
            return true;
        }
        int bytesPerSector = (s[11] & 0xFF) | (s[12] & 0xFF) << 8;
        int sectorsPerCluster = s[13] & 0xFF;
        boolean bpb = bytesPerSector >= 512 && bytesPerSector <= 4096 && Integer.bitCount(bytesPerSector) == 1
                && sectorsPerCluster > 0 && Integer.bitCount(sectorsPerCluster) == 1;
        return bpb && (ascii(s, 0x36, 3).equals("FAT") || ascii(s, 0x52, 5).equals("FAT32"));
    }

    static boolean hasProtectiveEntry(byte[] s) {
        for (int i = 0; i < 4; i++) {
            if ((s[446 + 16 * i + 4] & 0xFF) == PROTECTIVE_GPT) {
                return true;
            }
        }
        return false;
    }

    /** Whether every entry's status byte is valid (boot code in a VBR usually is not). */
    static boolean plausible(byte[] s) {
        for (int i = 0; i < 4; i++) {
            int status = s[446 + 16 * i] & 0xFF;
            if (status != 0 && status != 0x80) {
                return false;
            }
        }
        return true;
    }

    static PartitionTable read(byte[] mbr, SectorSource src, int sectorSize, long deviceSize) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        List<Partition> parts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int e = 446 + 16 * i;
            int type = b.get(e + 4) & 0xFF;
            long first = Integer.toUnsignedLong(b.getInt(e + 8));
            long count = Integer.toUnsignedLong(b.getInt(e + 12));
            if (type == 0 || count == 0) {
                continue;
            }
            Partition p = new Partition(i + 1, first * sectorSize, count * sectorSize, typeName(type), "", "");
            if (p.end() > deviceSize) {
                problems.add("partition " + p.number() + " ends at byte " + p.end() + ", beyond the device's " + deviceSize);
            }
            parts.add(p);
            if (p.isExtendedContainer()) {
                readLogical(src, first, sectorSize, deviceSize, parts, problems);
            }
        }
        String diskId = String.format(Locale.ROOT, "%08x", b.getInt(440));
        return new PartitionTable(PartitionTable.MBR, sectorSize, diskId, parts, problems);
    }

    private static void readLogical(SectorSource src, long extStart, int sectorSize, long deviceSize,
                                    List<Partition> parts, List<String> problems) throws java.io.IOException {
        long ebr = extStart;
        int number = 5;
        while (number < 5 + MAX_LOGICAL) {
            if (ebr * sectorSize >= deviceSize) {
                problems.add("extended boot record at sector " + ebr + " lies beyond the device");
                return;
            }
            byte[] s = src.sector(ebr * sectorSize);
            if (!hasSignature(s)) {
                problems.add("extended boot record at sector " + ebr + " has no signature");
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.get(446 + 4) & 0xFF;
            long rel = Integer.toUnsignedLong(b.getInt(446 + 8));
            long count = Integer.toUnsignedLong(b.getInt(446 + 12));
            if (type != 0 && count != 0) {
                parts.add(new Partition(number++, (ebr + rel) * sectorSize, count * sectorSize, typeName(type), "", ""));
            }
            int nextType = b.get(462 + 4) & 0xFF;
            long next = Integer.toUnsignedLong(b.getInt(462 + 8));
            if (nextType == 0 || next == 0) {
                return;
            }
            ebr = extStart + next;
        }
        problems.add("more than " + MAX_LOGICAL + " logical partitions (a loop in the chain?)");
    }

    static String typeName(int type) {
        return String.format(Locale.ROOT, "0x%02x", type);
    }

    private static String ascii(byte[] s, int off, int len) {
        return new String(s, off, len, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
