package dev.strata.image.partition;

import dev.strata.image.source.ImageSource;

import java.io.IOException;
import java.util.List;

/**
 * Finds and reads the partition table of a source: GPT (protective MBR plus headers), else MBR,
 * else none (a filesystem on the whole device, or nothing known). An image file has no sector size
 * of its own, so a GPT with 4096-byte sectors is looked for too. Stateless.
 */
public final class PartitionTables {
    private PartitionTables() {
    }

    public static PartitionTable read(ImageSource src) throws IOException {
        if (src.size() < 512) {
            return none(src.sectorSize());
        }
        int sectorSize = src.sectorSize();
        byte[] sector0 = sector(src, 0, 512);
        if (!src.isBlockDevice() && src.size() >= 2 * 4096 && !GptReader.hasSignature(sector(src, 512, 512))
                && GptReader.hasSignature(sector(src, 4096, 4096))) {
            sectorSize = 4096;
        }
        final int ss = sectorSize;
        MbrReader.SectorSource sectors = offset -> sector(src, offset, ss);
        boolean gptHeader = src.size() >= 2L * ss && GptReader.hasSignature(sector(src, ss, ss));
        if (MbrReader.hasSignature(sector0) && MbrReader.hasProtectiveEntry(sector0) || gptHeader) {
            PartitionTable gpt = GptReader.read(sectors, ss, src.size());
            if (!gpt.partitions().isEmpty() || MbrReader.hasProtectiveEntry(sector0)) {
                return gpt;
            }
        }
        if (!MbrReader.hasSignature(sector0) || MbrReader.isVolumeBootRecord(sector0) || !MbrReader.plausible(sector0)) {
            return none(ss);
        }
        PartitionTable mbr = MbrReader.read(sector0, sectors, ss, src.size());
        return mbr.partitions().isEmpty() ? none(ss) : mbr;
    }

    private static PartitionTable none(int sectorSize) {
        return new PartitionTable(PartitionTable.NONE, sectorSize, "", List.of(), List.of());
    }

    private static byte[] sector(ImageSource src, long offset, int size) throws IOException {
        byte[] b = new byte[size];
        src.readFully(offset, b, 0, size);
        return b;
    }
}
