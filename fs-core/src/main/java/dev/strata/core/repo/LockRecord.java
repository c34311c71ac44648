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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One lock blob's content (docs/format.md §7). Immutable. */
public record LockRecord(LockMode mode, String host, long pid, String user, Instant created, Instant refreshed,
                         LockHolder holder, Set<String> knows) {
    /** A lock not refreshed for this long is stale whatever its host. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);
    /** How often a holder rewrites its lock. */
    public static final Duration REFRESH_EVERY = Duration.ofMinutes(5);
    /** Slack between a process's start time as the system reports it and the locks it writes. */
    private static final Duration START_SLACK = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AAD = "strata-lock/v1".getBytes(StandardCharsets.US_ASCII);

    public LockRecord {
        holder = holder == null ? LockHolder.UNNAMED : holder;
        knows = knows == null ? Set.of() : Set.copyOf(knows);
    }

    /** A lock that knows no condemnation (docs/format.md §7.1). */
    public LockRecord(LockMode mode, String host, long pid, String user, Instant created, Instant refreshed,
                      LockHolder holder) {
        this(mode, host, pid, user, created, refreshed, holder, Set.of());
    }

    /**
     * Whether the holder is surely gone: on this host with a pid that no longer runs or now belongs
     * to a process started after the lock was written (the pid was reused), or silent for longer
     * than {@link #STALE_AFTER}.
     */
    public boolean isStale(String thisHost, Instant now) {
        if (host.equals(thisHost) && pid != ProcessHandle.current().pid()) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return true;
            }
            Optional<Instant> started = process.get().info().startInstant();
            if (started.isPresent() && started.get().isAfter(created.plus(START_SLACK))) {
                return true;
            }
        }
        return refreshed.plus(STALE_AFTER).isBefore(now);
    }

    public LockRecord refreshedAt(Instant now) {
        return new LockRecord(mode, host, pid, user, created, now, holder, knows);
    }

    /** This lock, saying that its holder knows the condemnations {@code ids} (and no others). */
    public LockRecord knowing(Set<String> ids, Instant now) {
        return new LockRecord(mode, host, pid, user, created, now, holder, ids);
    }

    public String describe() {
        return mode.jsonName() + " lock of " + (holder.command().isEmpty() ? "" : "'" + holder.command() + "', ")
                + "pid " + pid + " on " + host + " (" + user + "), since " + created;
    }

    /** What a process kept out by this lock can do about it. */
    String advice(String thisHost) {
        if (!holder.release().isEmpty()) {
            return "it holds the lock until it is stopped: run '" + holder.release() + "'"
                    + (host.equals(thisHost) ? " (or kill " + pid + ")" : " on " + host);
        }
        return "wait for it to finish (--retry-lock DURATION waits), or if that process is gone, run 'strata unlock'";
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
        if (!holder.command().isEmpty()) {
            root.put("command", holder.command());
        }
        if (!holder.release().isEmpty()) {
            root.put("release", holder.release());
        }
        if (!knows.isEmpty()) {
            var list = root.putArray("knows");
            new TreeSet<>(knows).forEach(list::add);
        }
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
                    Instant.parse(root.get("created").asText()), Instant.parse(root.get("refreshed").asText()),
                    new LockHolder(root.path("command").asText(""), root.path("release").asText("")),
                    Condemnation.ids(root.path("knows"), name));
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("lock " + name + " fails authentication", e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("lock " + name + " is damaged: " + e.getMessage(), e);
        }
    }
}
