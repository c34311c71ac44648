package dev.strata.image.partition;

import java.util.List;
import java.util.Optional;

/**
 * The partition table of a device: its scheme ({@code mbr}, {@code gpt}, or {@code none} when the
 * device holds one filesystem or nothing recognisable), the partitions, and what was wrong with it.
 *
 * @param diskId   MBR disk signature or GPT disk GUID, or empty
 * @param problems damage found (a bad CRC, a missing backup GPT header), in words; empty when sound
 */
public record PartitionTable(String scheme, int sectorSize, String diskId, List<Partition> partitions,
                             List<String> problems) {
    public static final String MBR = "mbr";
    public static final String GPT = "gpt";
    public static final String NONE = "none";

    public PartitionTable {
        partitions = List.copyOf(partitions);
        problems = List.copyOf(problems);
    }

    public Optional<Partition> partition(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst();
    }
}
