package dev.strata.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata daemon} as a real process reads its configuration file again on SIGHUP: a job removed
 * stops running, a job added runs, a schedule changed holds from then on, and a file with problems is
 * refused with each problem and its line in the log while the jobs loaded before go on.
 */
class DaemonReloadTest {
    @TempDir
    Path tmp;
    private Path log;
    private Process daemon;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sighup_reloadsJobsAndSchedules_refusesABadFile() throws Exception {
        Path repo = tmp.resolve("repo");
        Path cache = tmp.resolve("cache");
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(docs.resolve("a.txt"), "a");
        Files.writeString(photos.resolve("p.raw"), "p");
        Files.writeString(tmp.resolve("password"), "correct horse\n");
        CliRunner cli = new CliRunner(repo, cache).password("correct horse");
        assertThat(cli.run("init").code()).isZero();
        Path config = tmp.resolve("config.toml");
        String repository = """
                [repositories.main]
                path = "%s"
                password-file = "%s"
                """.formatted(repo, tmp.resolve("password"));
        Files.writeString(config, repository + """

                [jobs.alpha]
                paths = ["%s"]
                schedule = "every 2s"
                """.formatted(docs));

        // SIGHUP as a new process normally has it, even when this JVM was started with it ignored (nohup).
        startDaemon(config, cache, List.of("env", "--default-signal=HUP"));
        try {
            awaitLine(l -> l.endsWith(" job alpha: started"));
            int afterAlpha = awaitLine(l -> l.matches("\\S+ job alpha: ok in .*"));

            Files.writeString(config, repository + """

                    [jobs.beta]
                    paths = ["%s"]
                    schedule = "every 2s"
                    """.formatted(photos));
            hangup();
            int reloaded = awaitLine(l -> l.endsWith(" configuration reloaded: 1 job(s), 0 mount(s); jobs added beta, removed alpha"));
            assertThat(reloaded).isGreaterThan(afterAlpha);
            awaitLines(reloaded, l -> l.matches("\\S+ job beta: ok in .*"), 3);

            Files.writeString(config, repository + """

                    [jobs.beta]
                    paths = ["%s"]
                    schedule = "every now and then"
                    keep-daily = 0
                    """.formatted(photos));
            hangup();
            int refused = awaitLine(l -> l.contains(" reload refused: "));
            List<String> lines = lines();
            assertThat(lines.subList(refused - 2, refused + 1)).satisfiesExactly(
                    l -> assertThat(l).endsWith(" ERROR " + config + ":7: jobs.beta.schedule: 'every now and then' is not a schedule:"
                            + " write 'every 1h', 'daily 02:30' or 'weekly sun 03:00'"),
                    l -> assertThat(l).contains(" ERROR " + config + ":8: jobs.beta.keep-daily: "),
                    l -> assertThat(l).endsWith(" ERROR reload refused: 2 problems in " + config + "; the configuration loaded before stays"));
            awaitLines(refused, l -> l.matches("\\S+ job beta: ok in .*"), 2);

            Files.writeString(config, repository + """

                    [jobs.beta]
                    paths = ["%s"]
                    schedule = "every 1h"
                    """.formatted(photos));
            hangup();
            int slower = awaitLine(l -> l.endsWith(" configuration reloaded: 1 job(s), 0 mount(s); jobs changed beta"));
            Thread.sleep(6_000);

            daemon.destroy();
            assertThat(daemon.waitFor(90, TimeUnit.SECONDS)).as("stopped; log:\n%s", Files.readString(log)).isTrue();
            assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
            lines = lines();
            String out = String.join("\n", lines);
            // A run queued just before a reload still happens; none after that.
            assertThat(lines.subList(reloaded, lines.size()).stream().filter(l -> l.endsWith(" job alpha: started")).count())
                    .as(out).isLessThanOrEqualTo(1);
            assertThat(lines.subList(slower, lines.size()).stream().filter(l -> l.endsWith(" job beta: started")).count())
                    .as(out).isLessThanOrEqualTo(1);
            assertThat(out).endsWith("daemon stopped");
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** Starts {@code strata daemon --tick 1s} on {@code config}, its command line behind {@code prefix}. */
    private void startDaemon(Path config, Path cache, List<String> prefix) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-Xmx256m", "-XX:ErrorFile=" + tmp.resolve("hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main", "daemon", "--tick", "1s"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("STRATA_PASSWORD");
        env.remove("STRATA_PASSWORD_FILE");
        env.put("STRATA_CONFIG", config.toString());
        env.put("STRATA_STATE_DIR", tmp.resolve("state").toString());
        env.put("STRATA_CACHE_DIR", cache.toString());
        env.put("HOME", tmp.toString());
        log = tmp.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        daemon = pb.start();
    }

    /**
     * Started with SIGHUP ignored (nohup), the JVM installs no handler for it: the daemon says so at start
     * instead of leaving reloads silently unanswered.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void startedUnderNohup_saysAReloadNeedsARestart() throws Exception {
        Path repo = tmp.resolve("repo");
        Path cache = tmp.resolve("cache");
        Files.writeString(tmp.resolve("password"), "correct horse\n");
        assertThat(new CliRunner(repo, cache).password("correct horse").run("init").code()).isZero();
        Path config = tmp.resolve("config.toml");
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(config, """
                [repositories.main]
                path = "%s"
                password-file = "%s"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every 1h"
                """.formatted(repo, tmp.resolve("password"), docs));
        startDaemon(config, cache, List.of("nohup"));
        try {
            awaitLine(l -> l.endsWith(" WARNING SIGHUP cannot reach this process (started with it ignored, as nohup does,"
                    + " or with -Xrs): the configuration is read at start only; restart the daemon to change it"));
            daemon.destroy();
            assertThat(daemon.waitFor(90, TimeUnit.SECONDS)).isTrue();
        } finally {
            daemon.destroyForcibly();
        }
    }

    private void hangup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(log);
    }

    /** The index of the first line that matches, waiting for it. */
    private int awaitLine(Predicate<String> p) throws Exception {
        return awaitLines(0, p, 1);
    }

    /** The index of the {@code n}-th line from {@code from} on that matches, waiting for it. */
    private int awaitLines(int from, Predicate<String> p, int n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            List<String> lines = lines();
            int seen = 0;
            for (int i = from; i < lines.size(); i++) {
                if (p.test(lines.get(i)) && ++seen == n) {
                    return i;
                }
            }
            assertThat(daemon.isAlive()).as("the daemon is alive; its log:\n%s", String.join("\n", lines)).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("no such line in 90 s; the log:\n" + String.join("\n", lines()));
    }
}
