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
            root.set(s.kind().jsonName(), s.extra());
        }
        if (s.origin() != null) {
            ObjectNode origin = root.putObject("origin");
            origin.put("repository", s.origin().repository());
            origin.put("snapshot", s.origin().snapshot().toString());
        }
        return root;
    }

    /**
     * Reads a record. A field that is missing or of the wrong type makes the record damaged, named
     * in the error; only the fields the format marks optional may be absent.
     */
    public static Snapshot decode(byte[] json, SnapshotId id) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CorruptDataException("snapshot " + id.shortString() + " is not valid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new CorruptDataException("snapshot " + id.shortString() + " is damaged: not a JSON object");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new UnsupportedFormatException("snapshot " + id.shortString() + " has record version " + version
                    + "; this Strata reads version " + VERSION);
        }
        Fields f = new Fields(root, id);
        try {
            Fields sum = f.object("summary");
            SnapshotSummary summary = new SnapshotSummary(
                    sum.number("filesNew"), sum.number("filesChanged"), sum.number("filesUnchanged"),
                    sum.number("dirsNew"), sum.number("dirsChanged"), sum.number("dirsUnchanged"),
                    sum.number("bytesRead"), sum.number("bytesAdded"), sum.number("bytesStored"),
                    sum.number("totalFiles"), sum.number("totalBytes"),
                    sum.number("warnings"), sum.number("changedWhileRead"),
                    sum.time("start", Instant.EPOCH), sum.time("end", Instant.EPOCH));
            String kindName = f.text("kind");
            SnapshotKind kind;
            try {
                kind = SnapshotKind.fromJson(kindName);
            } catch (IllegalArgumentException e) {
                throw f.damaged("unknown kind '" + kindName + "'");
            }
            // What only this kind has (an image's description, a volume's record) is under the kind's name.
            JsonNode extra = kind == SnapshotKind.BACKUP ? null : root.get(kind.jsonName());
            if (extra != null && !extra.isObject()) {
                throw f.damaged("field '" + kind.jsonName() + "' is not an object");
            }
            String parent = f.text("parent", null);
            SnapshotOrigin origin = null;
            if (root.hasNonNull("origin")) {
                Fields o = f.object("origin");
                origin = new SnapshotOrigin(o.text("repository"), SnapshotId.parse(o.text("snapshot")));
            }
            return new Snapshot(id, kind, f.time("time", null),
                    f.text("host", ""), f.text("user", ""), f.number("uid"), f.number("gid"),
                    f.strings("paths"), f.strings("tags"), parent == null ? null : SnapshotId.parse(parent),
                    ChunkId.parse(f.text("tree")), f.strings("excludes"), summary, extra, origin);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw f.damaged(e.getMessage());
        }
    }

    /** Typed access to the fields of one JSON object of a record; anything else is damage. */
    private static final class Fields {
        private final JsonNode node;
        private final SnapshotId id;

        Fields(JsonNode node, SnapshotId id) {
            this.node = node;
            this.id = id;
        }

        CorruptDataException damaged(String what) {
            return new CorruptDataException("snapshot " + id.shortString() + " is damaged: " + what);
        }

        /** A required text field. */
        String text(String name) throws CorruptDataException {
            String v = text(name, null);
            if (v == null) {
                throw damaged("field '" + name + "' is missing");
            }
            return v;
        }

        String text(String name, String absent) throws CorruptDataException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return absent;
            }
            if (!v.isTextual()) {
                throw damaged("field '" + name + "' is not text");
            }
            return v.asText();
        }

        Instant time(String name, Instant absent) throws CorruptDataException {
            String v = absent == null ? text(name) : text(name, null);
            return v == null ? absent : Instant.parse(v);
        }

        long number(String name) throws CorruptDataException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw damaged("field '" + name + "' is not a whole number");
            }
            return v.asLong();
        }

        List<String> strings(String name) throws CorruptDataException {
            JsonNode v = node.get(name);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                throw damaged("field '" + name + "' is not a list");
            }
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw damaged("field '" + name + "' holds something other than text");
                }
                out.add(e.asText());
            }
            return out;
        }

        Fields object(String name) throws CorruptDataException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return new Fields(JSON.createObjectNode(), id);
            }
            if (!v.isObject()) {
                throw damaged("field '" + name + "' is not an object");
            }
            return new Fields(v, id);
        }
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }
}
