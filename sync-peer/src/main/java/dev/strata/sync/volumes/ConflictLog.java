package dev.strata.sync.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.volume.state.SyncRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The conflicts this device decided, one JSON line each in {@code conflicts.jsonl} of the sync state
 * folder (docs/sync.md, "Conflicts"), for {@code strata sync conflicts} to list while the volumes are
 * held by the running process. The volume's state keeps them too. Thread-safe.
 */
public final class ConflictLog {
    public static final String FILE_NAME = "conflicts.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ConflictLog(Path syncState) {
        this.file = syncState.resolve(FILE_NAME);
    }

    /** One conflict as listed. */
    public record Entry(String volume, String path, Instant decided, boolean keptHere, String keptDevice,
                        String lostDevice, boolean lostDeleted, long lostSize, String lostMtime) {
    }

    /** Notes a conflict; false (and the reason in {@code why}) if it could not be written. */
    synchronized boolean decided(String volume, SyncRecord kept, SyncRecord lost, boolean keptHere, Instant now,
                                 java.util.function.Consumer<String> why) {
        ObjectNode n = JSON.createObjectNode();
        n.put("volume", volume);
        n.put("path", kept.printablePath());
        n.put("decided", now.toString());
        n.put("kept", keptHere ? "this device" : "peer");
        n.put("keptDevice", String.format("%016x", kept.author()));
        n.put("lostDevice", String.format("%016x", lost.author()));
        n.put("lostDeleted", lost.deleted());
        n.put("lostSize", lost.size());
        n.put("lostMtime", Instant.ofEpochSecond(lost.mtime().seconds(), lost.mtime().nanos()).toString());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return true;
        } catch (IOException e) {
            // The volume's state has the conflict; only this listing misses it.
            why.accept("cannot note a conflict in " + file + ": " + e.getMessage());
            return false;
        }
    }

    /** Every conflict noted, oldest first. */
    public List<Entry> list() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a line cut short by a crash
            }
            out.add(new Entry(n.path("volume").asText(), n.path("path").asText(), Instant.parse(n.path("decided").asText()),
                    "this device".equals(n.path("kept").asText()), n.path("keptDevice").asText(),
                    n.path("lostDevice").asText(), n.path("lostDeleted").asBoolean(), n.path("lostSize").asLong(),
                    n.path("lostMtime").asText()));
        }
        return out;
    }
}
