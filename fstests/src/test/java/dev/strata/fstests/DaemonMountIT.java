package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata daemon} keeps the configuration file's mount up: it mounts at start, mounts again
 * after the mount is taken away, and unmounts on SIGTERM; on SIGHUP it unmounts a mount the file no
 * longer has and mounts one it gained.
 */
class DaemonMountIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void daemon_mountsAtStart_mountsAgainWhenUnmounted_unmountsOnStop() throws Exception {
        Strata strata = new Strata(dir);
        strata.run("init").ok();
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "hello");
        strata.run("backup", docs.toString()).ok();
        Path password = Files.writeString(dir.resolve("password"), Strata.PASSWORD + "\n");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Path config = Files.writeString(dir.resolve("config.toml"), """
                [repositories.main]
                path = "%s"
                password-file = "%s"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every 1h"

                [mounts.backups]
                path = "%s"
                """.formatted(strata.repo, password, docs, mnt));
        Path log = dir.resolve("daemon.log");
        Process daemon = startDaemon(strata, config, log);
        try {
            awaitMounted(mnt, daemon, log);
            try (var sources = Files.list(mnt.resolve("snapshots"))) {
                assertThat(sources.count()).as(Files.readString(log)).isEqualTo(1);
            }
            // Taken away (a person's fusermount -u): the mount process ends, and the daemon mounts again.
            assertThat(MountProcess.run("fusermount", "-u", mnt.toString())).isZero();
            awaitLog(log, "mount backups ended with exit code 0; mounting again in 5 s");
            awaitMounted(mnt, daemon, log);
            assertThat(Files.readString(log)).contains("job docs: ok in ");

            daemon.destroy();
            assertThat(daemon.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
            assertThat(FuseMount.isMounted(mnt)).as(Files.readString(log)).isFalse();
            assertThat(Files.readString(log)).endsWith("daemon stopped\n");
        } finally {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
            for (int i = 0; i < 100 && FuseMount.isMounted(mnt); i++) {
                // The mount process the daemon started may outlive a killed daemon for a moment.
                MountProcess.run("fusermount", "-u", "-z", mnt.toString());
                Thread.sleep(100);
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sighup_unmountsARemovedMount_mountsAnAddedOne() throws Exception {
        Strata strata = new Strata(dir);
        strata.run("init").ok();
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "hello");
        strata.run("backup", docs.toString()).ok();
        Path password = Files.writeString(dir.resolve("password"), Strata.PASSWORD + "\n");
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        String repository = """
                [repositories.main]
                path = "%s"
                password-file = "%s"
                """.formatted(strata.repo, password);
        Path config = Files.writeString(dir.resolve("config.toml"), repository + """

                [mounts.old]
                path = "%s"
                """.formatted(first));
        Path log = dir.resolve("daemon.log");
        Process daemon = startDaemon(strata, config, log);
        try {
            awaitMounted(first, daemon, log);
            Files.writeString(config, repository + """

                    [mounts.new]
                    path = "%s"
                    """.formatted(second));
            assertThat(MountProcess.run("kill", "-HUP", Long.toString(daemon.pid()))).isZero();
            awaitLog(log, "configuration reloaded: 0 job(s), 1 mount(s); mounts added new, removed old");
            awaitMounted(second, daemon, log);
            assertThat(FuseMount.isMounted(first)).as(Files.readString(log)).isFalse();
            assertThat(Files.readString(log)).contains("mount old: removed in the configuration, unmounting " + first)
                    .doesNotContain("ERROR mount");

            daemon.destroy();
            assertThat(daemon.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
            assertThat(FuseMount.isMounted(second)).as(Files.readString(log)).isFalse();
        } finally {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
            for (Path mnt : new Path[]{first, second}) {
                for (int i = 0; i < 100 && FuseMount.isMounted(mnt); i++) {
                    MountProcess.run("fusermount", "-u", "-z", mnt.toString());
                    Thread.sleep(100);
                }
            }
        }
    }

    private static void awaitMounted(Path mnt, Process daemon, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!FuseMount.isMounted(mnt) || !Files.isDirectory(mnt.resolve("snapshots"))) {
            assertThat(daemon.isAlive() && System.currentTimeMillis() < deadline)
                    .as("mounted within 60 s; the daemon's log:\n%s", Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.readString(log).contains(text)) {
            assertThat(System.currentTimeMillis() < deadline).as("'%s' in the log within 30 s:\n%s", text, Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
    }

    /**
     * {@code strata daemon --tick 1s} on {@code config}, logging to {@code log}, with SIGHUP at its default
     * even when this JVM was started with it ignored (nohup passes that on).
     */
    private Process startDaemon(Strata strata, Path config, Path log) throws java.io.IOException {
        Map<String, String> env = new HashMap<>(strata.env());
        env.remove("STRATA_PASSWORD");
        env.put("STRATA_CONFIG", config.toString());
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("env", "--default-signal=HUP"));
        cmd.addAll(Strata.javaCommand("daemon", "--tick", "1s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(dir.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
