package dev.strata.image.partition;

/**
 * One partition of a partition table, as byte offsets on the device.
 *
 * @param number the partition's number as the operating system counts it (1…, logical MBR partitions 5…)
 * @param type   MBR: the type byte as {@code 0x83}; GPT: the type GUID
 * @param name   GPT partition name, or empty
 * @param guid   GPT unique partition GUID, or empty
 */
public record Partition(int number, long start, long length, String type, String name, String guid) {
    public Partition {
        if (number < 1 || start < 0 || length < 0) {
            throw new IllegalArgumentException("bad partition " + number + " at " + start + "+" + length);
        }
        name = name == null ? "" : name;
        guid = guid == null ? "" : guid;
    }

    public long end() {
        return start + length;
    }

    /** An MBR extended partition: a container of logical partitions, not a filesystem. */
    public boolean isExtendedContainer() {
        return type.equals("0x05") || type.equals("0x0f") || type.equals("0x85");
    }
}
