package dev.strata.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** One lock blob's content (docs/format.md §7). Immutable. */
public record LockRecord(LockMode mode, String host, long pid, String user, Instant created, Instant refreshed) {
    /** A lock not refreshed for this long is stale whatever its host. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);
    /** How often a holder rewrites its lock. */
    public static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AAD = "strata-lock/v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the holder is surely gone: on this host with a pid that no longer runs, or silent for
     * longer than {@link #STALE_AFTER}.
     */
    public boolean isStale(String thisHost, Instant now) {
        if (host.equals(thisHost) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
            return true;
        }
        return refreshed.plus(STALE_AFTER).isBefore(now);
    }

    public LockRecord refreshedAt(Instant now) {
        return new LockRecord(mode, host, pid, user, created, now);
    }

    public String describe() {
        return mode.jsonName() + " lock of pid " + pid + " on " + host + " (" + user + "), since " + created;
    }

    byte[] seal(MasterKey key) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("mode", mode.jsonName());
        root.put("host", host);
        root.put("pid", pid);
        root.put("user", user);
        root.put("created", created.toString());
        root.put("refreshed", refreshed.toString());
        try {
            return key.metadataCipher().seal(JSON.writeValueAsBytes(root), AAD);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LockRecord open(byte[] sealed, MasterKey key, String name) throws CorruptDataException {
        try {
            JsonNode root = JSON.readTree(key.metadataCipher().open(sealed, AAD));
            return new LockRecord(LockMode.fromJson(root.get("mode").asText()), root.get("host").asText(),
                    root.get("pid").asLong(), root.path("user").asText(""),
                    Instant.parse(root.get("created").asText()), Instant.parse(root.get("refreshed").asText()));
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("lock " + name + " fails authentication", e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("lock " + name + " is damaged: " + e.getMessage(), e);
        }
    }
}
