package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata daemon} as a real process: three jobs every 5 s (two good, one whose before command
 * fails) for a minute against a real repository, with prune and check on their own schedules; then
 * SIGTERM. The repository checks clean, retention held, no job ran twice at once, the failing job
 * was logged and notified.
 */
class DaemonProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RUN_MILLIS = 60_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
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
                prune = "every 25s"
                check = "every 20s"
                check-read-data = "20%%"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every 5s"
                keep-last = 3

                [jobs.photos]
                paths = ["%s"]
                schedule = "every 5s"
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
                "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main", "daemon", "--tick", "1s"));
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
        for (String job : List.of("docs", "photos", "db")) {
            boolean running = false;
            int runs = 0;
            for (String l : lines) {
                if (l.endsWith(" job " + job + ": started")) {
                    assertThat(running).as("job %s started while a run of it was under way:\n%s", job, out).isFalse();
                    running = true;
                    runs++;
                } else if (l.matches("\\S+ job " + job + ": (ok|failed|incomplete) in .*")) {
                    running = false;
                }
            }
            assertThat(runs).as("runs of %s in a minute every 5 s:\n%s", job, out).isGreaterThanOrEqualTo(4);
        }
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
        JsonNode jobs = JSON.readTree(cli.env("STRATA_STATE_DIR", state.toString()).env("STRATA_CONFIG", config.toString())
                .run("jobs", "--json").out());
        assertThat(jobs.get(0).path("result").asText()).isEqualTo("ok");
        assertThat(jobs.get(1).path("result").asText()).isEqualTo("ok");
        assertThat(jobs.get(2).path("result").asText()).isEqualTo("failed");
        assertThat(jobs.get(2).path("failuresInARow").asInt()).isGreaterThanOrEqualTo(4);
        // Prune every 25 s and check every 20 s, after whichever job comes first: a few of each in a minute.
        assertThat(lines.stream().filter(l -> l.matches(".* job (docs|photos): ok in .*, pruned.*")).count()).as(out).isGreaterThanOrEqualTo(2);
        assertThat(lines.stream().filter(l -> l.matches(".* job (docs|photos): ok in .*, checked")).count()).as(out).isGreaterThanOrEqualTo(2);
        assertThat(Files.readString(state.resolve("jobs/state.json"))).contains("\"lastPrune\" : \"").contains("\"lastCheck\" : \"");
    }
}
