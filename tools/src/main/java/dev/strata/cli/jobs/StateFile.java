package dev.strata.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The job state, {@code jobs/state.json} in the state folder: per job its {@link JobRecord}, per repository
 * its last prune and check. Written whole to a temporary file, synced and renamed over the old one,
 * under an exclusive lock on {@code state.lock}, so concurrent processes ({@code strata run} beside
 * the daemon) never lose each other's updates and a crash leaves the old file or the new one.
 * Thread-safe (an update takes a monitor of this JVM for the folder, then the file lock).
 */
public final class StateFile {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path dir;
    private final Path file;

    public StateFile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("state.json");
    }

    public Path dir() {
        return dir;
    }

    /** The state as it is now (empty if the file does not exist yet). */
    public synchronized State read() throws IOException {
        if (!Files.exists(file)) {
            return new State(new HashMap<>(), new HashMap<>());
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserFacingException(ExitCode.FAILURE, "the job state file " + file + " is damaged (" + e.getMessage()
                    + "); move it away to start afresh");
        }
        if (root == null || root.path("version").asInt() != VERSION) {
            throw new UserFacingException(ExitCode.UNSUPPORTED_FORMAT, "the job state file " + file
                    + " has version " + (root == null ? "none" : root.path("version").asText()) + "; this strata reads version " + VERSION);
        }
        Map<String, JobRecord> jobs = new HashMap<>();
        root.path("jobs").fields().forEachRemaining(e -> jobs.put(e.getKey(), job(e.getValue())));
        Map<String, RepositoryRecord> repositories = new HashMap<>();
        root.path("repositories").fields().forEachRemaining(e -> repositories.put(e.getKey(),
                new RepositoryRecord(instant(e.getValue(), "lastPrune"), instant(e.getValue(), "lastCheck"))));
        return new State(jobs, repositories);
    }

    /** Records a finished run of a job. */
    public void recordJob(JobOutcome o) throws IOException {
        update(s -> s.jobs().put(o.job(), s.job(o.job()).after(o)));
    }

    /** Records a prune ({@code prune}) or check of a repository that finished well at {@code when}. */
    public void recordMaintenance(String repository, boolean prune, Instant when) throws IOException {
        update(s -> {
            RepositoryRecord r = s.repository(repository);
            s.repositories().put(repository, prune ? new RepositoryRecord(when, r.lastCheck()) : new RepositoryRecord(r.lastPrune(), when));
        });
    }

    private void update(java.util.function.Consumer<State> change) throws IOException {
        Files.createDirectories(dir);
        // A file lock belongs to the whole JVM (a second one here throws), so threads and StateFile
        // objects of one JVM queue on one monitor per folder first.
        synchronized (MONITORS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new Object())) {
            lockAndUpdate(change);
        }
    }

    private void lockAndUpdate(java.util.function.Consumer<State> change) throws IOException {
        try (FileChannel lockFile = FileChannel.open(dir.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            State s = read();
            change.accept(s);
            write(s);
        }
    }

    private void write(State s) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode jobs = root.putObject("jobs");
        s.jobs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            JobRecord r = e.getValue();
            ObjectNode n = jobs.putObject(e.getKey());
            put(n, "lastRun", r.lastRun());
            n.put("result", r.result() == null ? null : r.result().word());
            if (r.duration() != null) {
                n.put("durationMillis", r.duration().toMillis());
            }
            n.put("bytesAdded", r.bytesAdded());
            n.put("snapshot", r.snapshot());
            n.put("message", r.message());
            put(n, "lastSuccess", r.lastSuccess());
            put(n, "firstRun", r.firstRun());
            n.put("failuresInARow", r.failuresInARow());
        });
        ObjectNode repos = root.putObject("repositories");
        s.repositories().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode n = repos.putObject(e.getKey());
            put(n, "lastPrune", e.getValue().lastPrune());
            put(n, "lastCheck", e.getValue().lastCheck());
        });
        Path tmp = dir.resolve("state.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JobRecord job(JsonNode n) {
        String result = n.path("result").isTextual() ? n.path("result").asText() : null;
        return new JobRecord(instant(n, "lastRun"), result == null ? null : JobOutcome.Result.of(result),
                n.has("durationMillis") ? Duration.ofMillis(n.path("durationMillis").asLong()) : null,
                n.path("bytesAdded").asLong(-1), text(n, "snapshot"), text(n, "message"),
                instant(n, "lastSuccess"), instant(n, "firstRun"), n.path("failuresInARow").asInt());
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : Instant.parse(t);
    }

    private static void put(ObjectNode n, String field, Instant value) {
        n.put(field, value == null ? null : value.toString());
    }

    /** When a repository was last pruned and checked (nulls: never). Immutable. */
    public record RepositoryRecord(Instant lastPrune, Instant lastCheck) {
    }

    /** The whole state as read; mutable maps, used by one thread. */
    public record State(Map<String, JobRecord> jobs, Map<String, RepositoryRecord> repositories) {
        public JobRecord job(String name) {
            return jobs.getOrDefault(name, JobRecord.NEVER);
        }

        public RepositoryRecord repository(String name) {
            return repositories.getOrDefault(name, new RepositoryRecord(null, null));
        }
    }
}
