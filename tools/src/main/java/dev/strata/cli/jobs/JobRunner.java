package dev.strata.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one job: its before command, the backup, forget by its retention, the repository's prune and
 * check when they are due, its after command; then records the outcome in the {@link StateFile}. A
 * job runs at most once at a time on this machine: each run holds {@code locks/NAME.lock} in the
 * state folder, and a run that finds it held returns {@link JobOutcome.Result#BUSY}. Thread-safe.
 */
public final class JobRunner {
    /** How long a step waits for a lock another process holds on the repository (another job's prune, a mount). */
    static final String RETRY_LOCK = "30m";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobsConfig config;
    private final CommandRunner commands;
    private final StateFile state;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, String> env;
    private final Consumer<String> log;

    /** @param env the environment the commands see (a job's password is added to it) */
    public JobRunner(JobsConfig config, CommandRunner commands, StateFile state, Clock clock, ZoneId zone,
                     Map<String, String> env, Consumer<String> log) {
        this.config = config;
        this.commands = commands;
        this.state = state;
        this.clock = clock;
        this.zone = zone;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** The jobs with a schedule whose run is due now, in the file's order. */
    public List<JobConfig> due() throws IOException {
        StateFile.State s = state.read();
        Instant now = clock.instant();
        List<JobConfig> out = new ArrayList<>();
        for (JobConfig j : config.jobs().values()) {
            if (j.schedule() != null && j.schedule().due(s.job(j.name()).lastRun(), now, zone)) {
                out.add(j);
            }
        }
        return out;
    }

    public JobOutcome run(JobConfig job) throws IOException, InterruptedException {
        Instant started = clock.instant();
        Path lockPath = state.dir().resolve("locks").resolve(job.name() + ".lock");
        Files.createDirectories(lockPath.getParent());
        try (FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(ch);
            if (lock == null) {
                log.accept("job " + job.name() + ": already running; not started again");
                return new JobOutcome(job.name(), JobOutcome.Result.BUSY, started, Duration.ZERO, -1, null, false, false,
                        "another run of this job is under way");
            }
            try (lock) {
                log.accept("job " + job.name() + ": started");
                JobOutcome o = new Run(job, started).go();
                state.recordJob(o);
                log.accept("job " + job.name() + ": " + o.result().word() + " in " + seconds(o.duration())
                        + (o.bytesAdded() >= 0 ? ", added " + o.bytesAdded() + " bytes" : "")
                        + (o.snapshot() != null ? ", snapshot " + o.snapshot() : "")
                        + (o.pruned() ? ", pruned" : "") + (o.checked() ? ", checked" : "")
                        + (o.message() != null ? ": " + o.message() : ""));
                return o;
            }
        }
    }

    /** The lock, or null when another process (or another thread here) holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    public static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** One run's steps and what they found. Confined to the thread that runs the job. */
    private final class Run {
        private final JobConfig job;
        private final RepositoryConfig repo;
        private final Instant started;
        private final Map<String, String> commandEnv = new HashMap<>(env);
        private JobOutcome.Result result = JobOutcome.Result.OK;
        private String message;
        private long bytesAdded = -1;
        private String snapshot;
        private boolean pruned;
        private boolean checked;

        Run(JobConfig job, Instant started) {
            this.job = job;
            this.repo = config.repositoryOf(job);
            this.started = started;
            commandEnv.put("STRATA_JOB", job.name());
        }

        JobOutcome go() throws InterruptedException {
            try {
                if (job.before() == null || shell("before command", job.before())) {
                    if (password() && backup() && forget()) {
                        maintenance();
                    }
                }
            } catch (IOException e) {
                fail(e.getMessage());
            } finally {
                if (job.after() != null) {
                    commandEnv.put("STRATA_JOB_RESULT", result.word());
                    try {
                        shell("after command", job.after());
                    } catch (IOException e) {
                        fail("after command: " + e.getMessage());
                    }
                }
            }
            return new JobOutcome(job.name(), result, started, Duration.between(started, clock.instant()), bytesAdded,
                    snapshot, pruned, checked, message);
        }

        private boolean shell(String what, String command) throws IOException, InterruptedException {
            Shell.Result r = Shell.run(command, commandEnv, null);
            if (r.exitCode() != 0) {
                fail(r.describe(what));
                return false;
            }
            return true;
        }

        /** The repository's password into the commands' environment: from its file, or its command's first line. */
        private boolean password() throws IOException, InterruptedException {
            if (repo.passwordFile() != null) {
                commandEnv.remove("STRATA_PASSWORD");
                commandEnv.put("STRATA_PASSWORD_FILE", repo.passwordFile().toString());
            } else if (repo.passwordCommand() != null) {
                String password;
                try {
                    password = RepositoryPassword.fromCommand(repo.passwordCommand(), commandEnv);
                } catch (dev.strata.core.error.UserFacingException e) {
                    fail(e.getMessage());
                    return false;
                }
                commandEnv.remove("STRATA_PASSWORD_FILE");
                commandEnv.put("STRATA_PASSWORD", password);
            }
            return true;
        }

        private boolean backup() throws IOException, InterruptedException {
            List<String> args = new ArrayList<>(List.of("backup", "--json"));
            args.addAll(repoOptions());
            args.addAll(List.of("--tag", job.jobTag()));
            job.tags().forEach(t -> args.addAll(List.of("--tag", t)));
            job.exclude().forEach(e -> args.addAll(List.of("--exclude", e)));
            if (job.oneFileSystem()) {
                args.add("--one-file-system");
            }
            Process source = null;
            Shell.Tail sourceErr = null;
            InputStream in = InputStream.nullInputStream();
            if (job.stdinCommand() != null) {
                args.addAll(List.of("--stdin", "--stdin-filename", job.stdinFilename()));
                source = Shell.start(job.stdinCommand(), commandEnv, null);
                source.getOutputStream().close();
                sourceErr = Shell.Tail.of(source.getErrorStream());
                in = source.getInputStream();
            } else {
                args.addAll(job.paths());
            }
            Output out = new Output();
            int code;
            try {
                code = commands.run(args, commandEnv, in, out.out, out.err);
            } finally {
                if (source != null) {
                    in.close();
                }
            }
            JsonNode summary = out.lastJson();
            if (summary != null) {
                bytesAdded = summary.path("bytesAdded").asLong(-1);
                snapshot = summary.path("snapshot").isTextual() ? summary.path("snapshot").asText().substring(0, 8) : null;
            }
            int sourceCode = source == null ? 0 : source.waitFor();
            if (code != 0 && code != 3) {
                // The backup's own error first: a command whose reader went away ends with a broken pipe.
                fail("backup: " + out.error(code));
                return false;
            }
            if (source != null) {
                if (sourceCode != 0) {
                    String last = sourceErr.lastLine();
                    fail("stdin command exited with " + sourceCode + (last == null ? "" : ": " + last)
                            + (snapshot != null ? " (snapshot " + snapshot + " holds what it printed)" : ""));
                    return false;
                }
            }
            if (code == 3) {
                result = JobOutcome.Result.INCOMPLETE;
                message = "some paths could not be saved" + out.warnings();
                return true;
            }
            return true;
        }

        private boolean forget() {
            if (!job.retention().any()) {
                return true;
            }
            List<String> args = new ArrayList<>(List.of("forget", "--quiet"));
            args.addAll(repoOptions());
            args.addAll(List.of("--tag", job.jobTag()));
            args.addAll(job.retention().options());
            return step("forget", args);
        }

        /** The repository's prune, then its check, each when its schedule says so. */
        private void maintenance() throws IOException {
            StateFile.RepositoryRecord r = state.read().repository(repo.name());
            Instant now = clock.instant();
            if (repo.prune() != null && repo.prune().due(r.lastPrune(), now, zone)) {
                List<String> args = new ArrayList<>(List.of("prune", "--quiet"));
                args.addAll(repoOptions());
                if (!step("prune", args)) {
                    return;
                }
                pruned = true;
                state.recordMaintenance(repo.name(), true, now);
            }
            if (repo.check() != null && repo.check().due(r.lastCheck(), now, zone)) {
                List<String> args = new ArrayList<>(List.of("check", "--quiet"));
                args.addAll(repoOptions());
                if (repo.checkReadData() != null) {
                    args.addAll(List.of("--read-data-subset", repo.checkReadData()));
                }
                if (step("check", args)) {
                    checked = true;
                    state.recordMaintenance(repo.name(), false, now);
                }
            }
        }

        private boolean step(String what, List<String> args) {
            Output out = new Output();
            int code = commands.run(args, commandEnv, InputStream.nullInputStream(), out.out, out.err);
            if (code != 0) {
                fail(what + ": " + out.error(code));
                return false;
            }
            return true;
        }

        private List<String> repoOptions() {
            List<String> o = new ArrayList<>(List.of("--repo", repo.location(), "--retry-lock", RETRY_LOCK));
            if (repo.cacheDir() != null) {
                o.addAll(List.of("--cache-dir", repo.cacheDir().toString()));
            }
            return o;
        }

        private void fail(String why) {
            if (result != JobOutcome.Result.FAILED) {
                result = JobOutcome.Result.FAILED;
                message = why;
            }
        }
    }

    /**
     * What a command printed, read line by line as it comes: only the summary and the lines a job's
     * outcome quotes are kept, however much the command prints. Confined to one run.
     */
    private static final class Output {
        private String lastJsonLine;
        private String lastErrorLine;
        private String lastLine;
        private String firstWarning;
        private long warningCount;
        final PrintStream out = new PrintStream(new LineSink(this::outLine), true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(new LineSink(this::errLine), true, StandardCharsets.UTF_8);

        private void outLine(String line) {
            if (line.startsWith("{")) {
                lastJsonLine = line;
            }
        }

        private void errLine(String line) {
            if (line.isBlank()) {
                return;
            }
            lastLine = line;
            if (line.startsWith("strata: ") && !line.startsWith("strata: run again")) {
                lastErrorLine = line.substring("strata: ".length());
            }
            if (line.startsWith("warning: ")) {
                if (warningCount++ == 0) {
                    firstWarning = line.substring("warning: ".length());
                }
            }
        }

        JsonNode lastJson() {
            out.close();
            if (lastJsonLine == null) {
                return null;
            }
            try {
                return JSON.readTree(lastJsonLine);
            } catch (IOException e) {
                return null;
            }
        }

        /** The command's own error line ("strata: ..." without the prefix) and its exit code. */
        String error(int code) {
            err.close();
            String last = lastErrorLine != null ? lastErrorLine : lastLine;
            return (last == null ? "failed" : last) + " (exit code " + code + ")";
        }

        String warnings() {
            err.close();
            long n = warningCount;
            return n == 0 ? "" : " (" + n + " warning" + (n == 1 ? "" : "s") + ", first: " + firstWarning + ")";
        }
    }
}
