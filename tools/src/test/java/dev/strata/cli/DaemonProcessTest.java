package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata daemon} as a real process: two jobs every 5 s and every 8 s, and one every 5 s whose
 * before command fails, for 75 seconds against a real repository, with prune and check on their own
 * schedules (every 15 s and 12 s, so each runs several times); then SIGTERM. The repository checks clean, retention held, no job ran twice at once or
 * sooner than its schedule allows, none waited past a tick while it was due and the worker was free,
 * and the failing job was logged, notified and fails {@code strata jobs --check}.
 */
class DaemonProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RUN_MILLIS = 75_000;
    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Idle time allowed while a job is due, beyond a tick: log times are whole seconds (2 s), and the
     * worker's steps after a run's last line (reading the state, a notification) take a moment.
     */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Pattern RUN_LINE = Pattern.compile("(\\S+) job (\\w+): (started|ok in|failed in|incomplete in).*");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void daemon_runsJobsOnSchedule_stopsCleanly_reportsTheFailingJob() throws Exception {
        Path repo = tmp.resolve("repo");
        Path cache = tmp.resolve("cache");
        Path state = tmp.resolve("state");
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(docs.resolve("a.txt"), "a");
        Files.write(photos.resolve("p.raw"), new byte[300_000]);
        Files.writeString(tmp.resolve("password"), "correct horse\n");
        CliRunner cli = new CliRunner(repo, cache).password("correct horse");
        assertThat(cli.run("init").code()).isZero();
        Path config = tmp.resolve("config.toml");
        Files.writeString(config, """
                [repositories.main]
                path = "%s"
                password-file = "%s"
                prune = "every 15s"
                check = "every 12s"
                check-read-data = "20%%"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every 5s"
                keep-last = 3

                [jobs.photos]
                paths = ["%s"]
                schedule = "every 8s"
                keep-last = 2

                [jobs.db]
                stdin-command = "echo dump"
                before = "echo database is down >&2; exit 4"
                schedule = "every 5s"
                """.formatted(repo, tmp.resolve("password"), docs, photos));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path notified = tmp.resolve("notified");
        Path notifySend = bin.resolve("notify-send");
        Files.writeString(notifySend, "#!/bin/sh\nprintf '%s|' \"$@\" >> " + notified + "\necho >> " + notified + "\n");
        Files.setPosixFilePermissions(notifySend, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-Xmx512m", "-XX:ErrorFile=" + tmp.resolve("hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main", "daemon", "--tick", TICK.toSeconds() + "s"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("STRATA_PASSWORD");
        env.remove("STRATA_PASSWORD_FILE");
        env.put("STRATA_CONFIG", config.toString());
        env.put("STRATA_STATE_DIR", state.toString());
        env.put("STRATA_CACHE_DIR", cache.toString());
        env.put("HOME", tmp.toString());
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path log = tmp.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process daemon = pb.start();
        int exit;
        try {
            long end = System.currentTimeMillis() + RUN_MILLIS;
            for (int i = 0; System.currentTimeMillis() < end; i++) {
                Files.writeString(docs.resolve("n" + (i % 7) + ".txt"), "change " + i);
                Thread.sleep(2_000);
                assertThat(daemon.isAlive()).as("the daemon is alive; its log:\n%s", Files.readString(log)).isTrue();
            }
            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).as("stopped within 120 s; log:\n%s", Files.readString(log)).isTrue();
            exit = daemon.exitValue();
        } finally {
            daemon.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("daemon started: 3 job(s) from " + config).contains("stop requested").endsWith("daemon stopped\n");

        List<String> lines = out.lines().toList();
        assertRunsKeepTheirSchedules(lines, Map.of("docs", Duration.ofSeconds(5), "photos", Duration.ofSeconds(8),
                "db", Duration.ofSeconds(5)), out);
        assertThat(out).contains("FAILED job db: before command exited with 4: database is down")
                .contains("ATTENTION job db: failed 2 times in a row (last: before command exited with 4: database is down)")
                .doesNotContain("FAILED job docs").doesNotContain("FAILED job photos");
        assertThat(Files.readAllLines(notified)).isNotEmpty().allSatisfy(n -> assertThat(n).isEqualTo(
                "--urgency=critical|--app-name=Strata|Strata: backup job db needs attention|failed "
                        + n.replaceAll(".*\\|failed (\\d+) times.*", "$1")
                        + " times in a row (last: before command exited with 4: database is down)|"));

        CliRunner.Result check = cli.run("check", "--read-data");
        assertThat(check.code()).as(check.toString()).isZero();
        assertThat(JSON.readTree(cli.run("snapshots", "--json", "--tag", "job:docs").out())).hasSize(3);
        assertThat(JSON.readTree(cli.run("snapshots", "--json", "--tag", "job:photos").out())).hasSize(2);
        CliRunner jobsCli = cli.env("STRATA_STATE_DIR", state.toString()).env("STRATA_CONFIG", config.toString());
        CliRunner.Result attention = jobsCli.run("jobs", "--check");
        assertThat(attention.code()).as(attention.toString()).isEqualTo(1);
        assertThat(attention.err()).contains("db").contains("times in a row (last: before command exited with 4: database is down)")
                .doesNotContain("docs").doesNotContain("photos");
        JsonNode jobs = JSON.readTree(jobsCli.run("jobs", "--json").out());
        assertThat(jobs.get(0).path("result").asText()).isEqualTo("ok");
        assertThat(jobs.get(1).path("result").asText()).isEqualTo("ok");
        assertThat(jobs.get(2).path("result").asText()).isEqualTo("failed");
        assertThat(jobs.get(2).path("failuresInARow").asInt()).isGreaterThanOrEqualTo(4);
        // Prune every 15 s and check every 12 s, after whichever job comes first: a few of each in 75 s.
        assertThat(lines.stream().filter(l -> l.matches(".* job (docs|photos): ok in .*, pruned.*")).count()).as(out).isGreaterThanOrEqualTo(2);
        assertThat(lines.stream().filter(l -> l.matches(".* job (docs|photos): ok in .*, checked")).count()).as(out).isGreaterThanOrEqualTo(2);
        assertThat(Files.readString(state.resolve("jobs/state.json"))).contains("\"lastPrune\" : \"").contains("\"lastCheck\" : \"");
    }

    /** One run of a job as the log shows it; {@code end} null if the daemon stopped during it. */
    private record Run(String job, Instant start, Instant end) {
    }

    /**
     * Checks each job's runs against its schedule: never two at once (one worker), never sooner than its
     * interval after the last start, and never left waiting, once due, for longer than a tick (plus
     * {@link #SLACK}) while the worker was free; so the number of runs is what the schedule allows
     * given the time the runs themselves took.
     */
    private static void assertRunsKeepTheirSchedules(List<String> lines, Map<String, Duration> every, String out) {
        List<Run> runs = new ArrayList<>();
        Map<String, Instant> open = new TreeMap<>();
        Instant started = null;
        Instant stopped = null;
        for (String l : lines) {
            if (l.contains(" daemon started: ")) {
                started = Instant.parse(l.substring(0, l.indexOf(' ')));
            } else if (l.endsWith(" stop requested")) {
                stopped = Instant.parse(l.substring(0, l.indexOf(' ')));
            }
            Matcher m = RUN_LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            Instant t = Instant.parse(m.group(1));
            if (m.group(3).equals("started")) {
                assertThat(open).as("a run started while another was under way, at %s:%n%s", t, out).isEmpty();
                open.put(m.group(2), t);
            } else {
                Instant s = open.remove(m.group(2));
                assertThat(s).as("an end without a start: %s%n%s", l, out).isNotNull();
                runs.add(new Run(m.group(2), s, t));
            }
        }
        open.forEach((job, s) -> runs.add(new Run(job, s, null)));
        assertThat(started).as(out).isNotNull();
        assertThat(stopped).as(out).isNotNull();
        for (Map.Entry<String, Duration> e : every.entrySet()) {
            List<Instant> starts = runs.stream().filter(r -> r.job().equals(e.getKey())).map(Run::start).sorted().toList();
            long allowed = Duration.between(started, stopped).toSeconds() / e.getValue().toSeconds() + 1;
            assertThat(starts.size()).as("runs of %s every %s in %s s: at most %d%n%s", e.getKey(), e.getValue(),
                    Duration.between(started, stopped).toSeconds(), allowed, out).isBetween(5, (int) allowed);
            System.out.printf("daemon test: %s ran %d times every %s in %d s (at most %d)%n", e.getKey(), starts.size(),
                    e.getValue(), Duration.between(started, stopped).toSeconds(), allowed);
            Instant due = started;
            for (int i = 0; i <= starts.size(); i++) {
                Instant next = i < starts.size() ? starts.get(i) : stopped;
                if (next.isAfter(due)) {
                    Duration idle = idle(runs, due, next);
                    assertThat(idle).as("%s was due from %s to %s but the worker was free for %s of it%n%s", e.getKey(), due,
                            next, idle, out).isLessThanOrEqualTo(TICK.plus(SLACK));
                }
                if (i < starts.size()) {
                    // Log times are whole seconds, so a start may show up to a second less than the interval after the last.
                    assertThat(i == 0 || !starts.get(i).isBefore(starts.get(i - 1).plus(e.getValue()).minusSeconds(1)))
                            .as("%s started at %s, sooner than %s after its run at %s%n%s", e.getKey(), starts.get(i), e.getValue(),
                                    i == 0 ? null : starts.get(i - 1), out).isTrue();
                    due = starts.get(i).plus(e.getValue()).plusSeconds(1);
                }
            }
        }
    }

    /** The time in [from, to) when no run was under way. */
    private static Duration idle(List<Run> runs, Instant from, Instant to) {
        long busyMillis = 0;
        Instant covered = from;
        for (Run r : runs.stream().sorted(java.util.Comparator.comparing(Run::start)).toList()) {
            Instant s = r.start().isBefore(covered) ? covered : r.start();
            Instant e = r.end() == null || r.end().isAfter(to) ? to : r.end().plusSeconds(1);
            if (e.isAfter(s)) {
                busyMillis += Duration.between(s, e).toMillis();
                covered = e;
            }
        }
        return Duration.between(from, to).minusMillis(busyMillis);
    }
}
