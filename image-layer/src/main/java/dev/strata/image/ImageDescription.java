package dev.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an image snapshot records about its device, kept in the snapshot's kind-specific JSON
 * ({@code extra}, stored under "image"): the image name, device and sector size, the partition
 * table, per partition its filesystem and whether only used blocks were read, and the ranges that
 * could not be read. The device's bytes themselves are the file {@link #DISK_FILE} in the
 * snapshot's tree. Immutable.
 *
 * @param volume the filesystem on the whole device when there is no partition table, else null
 */
public record ImageDescription(String name, String source, long deviceSize, int sectorSize, String scheme,
                               String diskId, List<String> tableProblems, boolean usedOnly,
                               List<PartitionInfo> partitions, PartitionInfo volume, List<ByteRange> unreadable,
                               boolean changedWhileRead) {
    public static final int FORMAT = 1;
    /** The name of the node holding the whole device in an image snapshot's tree. */
    public static final String DISK_FILE = "disk.img";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageDescription {
        tableProblems = List.copyOf(tableProblems);
        partitions = List.copyOf(partitions);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * One partition (or, with number 0, the whole device) and what was found in it.
     *
     * @param filesystem     {@code ext4}, {@code fat32}, {@code unknown}…
     * @param usedOnlyApplied whether only its used blocks were read (unused ones are holes)
     * @param usedBytes      bytes in use when known, else -1
     * @param note           why --used-only was not applied, or empty
     * @param files          files whose bytes were chunked from where each starts, or -1 (not file-aware)
     * @param fileBytes      the bytes of those files, or -1
     * @param splitFiles     of those files, the ones in more than one piece on the disk (sparse or
     *                       fragmented: their chunks meet a file backup's only in part), or -1
     * @param splitFileBytes the bytes of the split files, or -1
     */
    public record PartitionInfo(int number, long start, long length, String type, String label, String guid,
                                String filesystem, boolean usedOnlyApplied, long usedBytes, String note, long files,
                                long fileBytes, long splitFiles, long splitFileBytes) {
        public ByteRange range() {
            return new ByteRange(start, length);
        }
    }

    public Optional<PartitionInfo> partition(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst();
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("name", name);
        n.put("source", source);
        n.put("deviceSize", deviceSize);
        n.put("sectorSize", sectorSize);
        n.put("scheme", scheme);
        n.put("diskId", diskId);
        ArrayNode problems = n.putArray("tableProblems");
        tableProblems.forEach(problems::add);
        n.put("usedOnly", usedOnly);
        ArrayNode parts = n.putArray("partitions");
        partitions.forEach(p -> parts.add(partitionJson(p)));
        if (volume != null) {
            n.set("volume", partitionJson(volume));
        }
        ArrayNode bad = n.putArray("unreadable");
        for (ByteRange r : unreadable) {
            bad.addObject().put("start", r.start()).put("length", r.length());
        }
        n.put("changedWhileRead", changedWhileRead);
        return n;
    }

    private static ObjectNode partitionJson(PartitionInfo p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("number", p.number());
        o.put("start", p.start());
        o.put("length", p.length());
        o.put("type", p.type());
        o.put("label", p.label());
        o.put("guid", p.guid());
        o.put("filesystem", p.filesystem());
        o.put("usedOnly", p.usedOnlyApplied());
        o.put("usedBytes", p.usedBytes());
        o.put("note", p.note());
        if (p.files() >= 0) {
            o.put("files", p.files());
            o.put("fileBytes", p.fileBytes());
        }
        if (p.splitFiles() >= 0) {
            o.put("splitFiles", p.splitFiles());
            o.put("splitFileBytes", p.splitFileBytes());
        }
        return o;
    }

    public static ImageDescription fromJson(JsonNode n) throws CorruptDataException {
        if (n == null || !n.isObject() || n.path("format").asInt() != FORMAT) {
            throw new CorruptDataException("image snapshot has no readable image description");
        }
        List<String> problems = new ArrayList<>();
        n.path("tableProblems").forEach(x -> problems.add(x.asText()));
        List<PartitionInfo> parts = new ArrayList<>();
        n.path("partitions").forEach(x -> parts.add(partition(x)));
        List<ByteRange> bad = new ArrayList<>();
        n.path("unreadable").forEach(x -> bad.add(new ByteRange(x.path("start").asLong(), x.path("length").asLong())));
        return new ImageDescription(n.path("name").asText(), n.path("source").asText(), n.path("deviceSize").asLong(),
                n.path("sectorSize").asInt(), n.path("scheme").asText(), n.path("diskId").asText(), problems,
                n.path("usedOnly").asBoolean(), parts, n.hasNonNull("volume") ? partition(n.get("volume")) : null, bad,
                n.path("changedWhileRead").asBoolean());
    }

    private static PartitionInfo partition(JsonNode x) {
        return new PartitionInfo(x.path("number").asInt(), x.path("start").asLong(), x.path("length").asLong(),
                x.path("type").asText(), x.path("label").asText(), x.path("guid").asText(), x.path("filesystem").asText(),
                x.path("usedOnly").asBoolean(), x.path("usedBytes").asLong(-1), x.path("note").asText(),
                x.path("files").asLong(-1), x.path("fileBytes").asLong(-1), x.path("splitFiles").asLong(-1),
                x.path("splitFileBytes").asLong(-1));
    }
}
