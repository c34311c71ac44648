package dev.strata.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.UnsupportedFormatException;
import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON of snapshot records (docs/format.md §11). Stateless, thread-safe. */
public final class SnapshotCodec {
    public static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotCodec() {
    }

    public static byte[] encode(Snapshot s) {
        ObjectNode root = toJson(s);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record as a JSON object (also what `strata snapshots --json` prints, plus the id). */
    public static ObjectNode toJson(Snapshot s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("kind", s.kind().jsonName());
        root.put("time", s.time().toString());
        root.put("host", s.host());
        root.put("user", s.user());
        root.put("uid", s.uid());
        root.put("gid", s.gid());
        strings(root.putArray("paths"), s.paths());
        strings(root.putArray("tags"), s.tags());
        if (s.parent() != null) {
            root.put("parent", s.parent().toString());
        }
        root.put("tree", s.tree().toString());
        strings(root.putArray("excludes"), s.excludes());
        SnapshotSummary m = s.summary();
        ObjectNode sum = root.putObject("summary");
        sum.put("filesNew", m.filesNew());
        sum.put("filesChanged", m.filesChanged());
        sum.put("filesUnchanged", m.filesUnchanged());
        sum.put("dirsNew", m.dirsNew());
        sum.put("dirsChanged", m.dirsChanged());
        sum.put("dirsUnchanged", m.dirsUnchanged());
        sum.put("bytesRead", m.bytesRead());
        sum.put("bytesAdded", m.bytesAdded());
        sum.put("bytesStored", m.bytesStored());
        sum.put("totalFiles", m.totalFiles());
        sum.put("totalBytes", m.totalBytes());
        sum.put("warnings", m.warnings());
        sum.put("changedWhileRead", m.changedWhileRead());
        sum.put("start", m.start().toString());
        sum.put("end", m.end().toString());
        if (s.extra() != null) {
            root.set("image", s.extra());
        }
        return root;
    }

    public static Snapshot decode(byte[] json, SnapshotId id) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CorruptDataException("snapshot " + id.shortString() + " is not valid JSON", e);
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new UnsupportedFormatException("snapshot " + id.shortString() + " has record version " + version
                    + "; this Strata reads version " + VERSION);
        }
        try {
            JsonNode sum = root.path("summary");
            SnapshotSummary summary = new SnapshotSummary(
                    sum.path("filesNew").asLong(), sum.path("filesChanged").asLong(), sum.path("filesUnchanged").asLong(),
                    sum.path("dirsNew").asLong(), sum.path("dirsChanged").asLong(), sum.path("dirsUnchanged").asLong(),
                    sum.path("bytesRead").asLong(), sum.path("bytesAdded").asLong(), sum.path("bytesStored").asLong(),
                    sum.path("totalFiles").asLong(), sum.path("totalBytes").asLong(),
                    sum.path("warnings").asLong(), sum.path("changedWhileRead").asLong(),
                    Instant.parse(sum.path("start").asText(Instant.EPOCH.toString())),
                    Instant.parse(sum.path("end").asText(Instant.EPOCH.toString())));
            return new Snapshot(id, SnapshotKind.fromJson(root.get("kind").asText()), Instant.parse(root.get("time").asText()),
                    root.path("host").asText(""), root.path("user").asText(""), root.path("uid").asLong(),
                    root.path("gid").asLong(), strings(root.path("paths")), strings(root.path("tags")),
                    root.hasNonNull("parent") ? SnapshotId.parse(root.get("parent").asText()) : null,
                    ChunkId.parse(root.get("tree").asText()), strings(root.path("excludes")), summary,
                    root.has("image") ? root.get("image") : null);
        } catch (RuntimeException e) {
            throw new CorruptDataException("snapshot " + id.shortString() + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }
}
