package dev.strata.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.UnsupportedFormatException;
import dev.strata.core.id.ChunkId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot records: a round trip, and damaged or hostile records refused with one clear line. */
class SnapshotCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnapshotId ID = SnapshotId.parse("ab".repeat(32));
    private static final Snapshot SNAPSHOT = new Snapshot(null, SnapshotKind.BACKUP, Instant.parse("2026-11-26T10:20:30Z"),
            "laptop", "ana", 1000, 1000, List.of("/home/ana"), List.of("daily"), null, ChunkId.of(new byte[32]),
            List.of("*.tmp"), new SnapshotSummary(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0,
            Instant.parse("2026-11-26T10:20:30Z"), Instant.parse("2026-11-26T10:21:30Z")), null);

    private static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(SnapshotCodec.encode(SNAPSHOT));
        edit.accept(root);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void roundTrip() throws Exception {
        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(SNAPSHOT), ID)).isEqualTo(SNAPSHOT.withId(ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kind", "time", "tree"})
    void missingRequiredField_isDamaged_namingItAndTheSnapshot(String field) throws Exception {
        byte[] json = edited(r -> r.remove(field));
        assertThatThrownBy(() -> SnapshotCodec.decode(json, ID)).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessage("snapshot " + ID.shortString() + " is damaged: field '" + field + "' is missing");
    }

    @Test
    void missingOptionalFields_areEmpty() throws Exception {
        byte[] json = edited(r -> {
            for (String f : List.of("host", "user", "uid", "gid", "paths", "tags", "excludes", "parent", "summary")) {
                r.remove(f);
            }
        });
        Snapshot s = SnapshotCodec.decode(json, ID);
        assertThat(s.paths()).isEmpty();
        assertThat(s.host()).isEmpty();
        assertThat(s.summary()).isEqualTo(SnapshotSummary.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "kind      | 5                | field 'kind' is not text",
        "kind      | \"volcano\"      | unknown kind 'volcano'",
        "time      | 12               | field 'time' is not text",
        "time      | \"yesterday\"    | yesterday",
        "tree      | [1, 2]           | field 'tree' is not text",
        "tree      | \"abc\"          | abc",
        "paths     | \"/home/ana\"    | field 'paths' is not a list",
        "paths     | [\"/a\", 7]      | field 'paths' holds something other than text",
        "tags      | {}               | field 'tags' is not a list",
        "uid       | \"1000\"         | field 'uid' is not a whole number",
        "gid       | 1.5              | field 'gid' is not a whole number",
        "uid       | 99999999999999999999999 | field 'uid' is not a whole number",
        "host      | []               | field 'host' is not text",
        "parent    | 42               | field 'parent' is not text",
        "summary   | [1]              | field 'summary' is not an object",
    })
    void wrongTypedField_isDamaged_oneLine(String field, String value, String message) throws Exception {
        byte[] json = edited(r -> {
            try {
                r.set(field, JSON.readTree(value));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> SnapshotCodec.decode(json, ID)).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageStartingWith("snapshot " + ID.shortString() + " is damaged: ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception"));
    }

    /** What only one kind has is kept under the kind's own name: `image` for images, `volume` for volumes. */
    @ParameterizedTest
    @ValueSource(strings = {"image", "volume"})
    void kindSpecificFields_roundTrip_underTheKindsName(String kind) throws Exception {
        ObjectNode extra = JSON.createObjectNode().put("name", "sda");
        Snapshot s = new Snapshot(null, SnapshotKind.fromJson(kind), SNAPSHOT.time(), "laptop", "ana", 0, 0, List.of(),
                List.of(), null, SNAPSHOT.tree(), List.of(), SnapshotSummary.NONE, extra);
        byte[] json = SnapshotCodec.encode(s);
        assertThat(JSON.readTree(json).get(kind)).isEqualTo(extra);
        assertThat(SnapshotCodec.decode(json, ID).extra()).isEqualTo(extra);
        ObjectNode broken = (ObjectNode) JSON.readTree(json);
        broken.put(kind, "disk");
        assertThatThrownBy(() -> SnapshotCodec.decode(JSON.writeValueAsBytes(broken), ID))
                .isExactlyInstanceOf(CorruptDataException.class)
                .hasMessage("snapshot " + ID.shortString() + " is damaged: field '" + kind + "' is not an object");
    }

    @Test
    void aBackupsRecord_ignoresAnotherKindsField() throws Exception {
        assertThat(SnapshotCodec.decode(edited(r -> r.put("volume", 5)), ID).extra()).isNull();
    }

    @Test
    void wrongTypedSummaryField_isDamaged() throws Exception {
        byte[] json = edited(r -> ((ObjectNode) r.get("summary")).put("totalBytes", "lots"));
        assertThatThrownBy(() -> SnapshotCodec.decode(json, ID)).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("field 'totalBytes' is not a whole number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "42", "\"text\"", "{", "[{\"version\": 1}]"})
    void notAnObject_isDamagedOrNotJson(String text) {
        assertThatThrownBy(() -> SnapshotCodec.decode(text.getBytes(StandardCharsets.UTF_8), ID))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("snapshot " + ID.shortString());
    }

    @Test
    void newerVersion_isUnsupported() throws Exception {
        byte[] json = edited(r -> r.put("version", 2));
        assertThatThrownBy(() -> SnapshotCodec.decode(json, ID)).isInstanceOf(UnsupportedFormatException.class);
    }

    @Test
    void aCopysOrigin_roundTrips() throws Exception {
        SnapshotOrigin origin = new SnapshotOrigin("0123456789abcdef".repeat(2), SnapshotId.parse("cd".repeat(32)));
        Snapshot copy = SNAPSHOT.copiedAs(SNAPSHOT.tree(), null, origin);
        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(copy), ID).origin()).isEqualTo(origin);
        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(SNAPSHOT), ID).origin()).as("an original has none").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "{\"repository\": \"00\", \"snapshot\": \"abababababababababababababababababababababababababababababababab\"}",
            "{\"repository\": \"00000000000000000000000000000000\"}"})
    void aDamagedOrigin_isDamaged(String origin) throws Exception {
        byte[] json = edited(r -> {
            try {
                r.set("origin", JSON.readTree(origin));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> SnapshotCodec.decode(json, ID)).isExactlyInstanceOf(CorruptDataException.class);
    }
}
