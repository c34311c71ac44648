package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** strata config check, run and jobs, in process against a real repository and a real state folder. */
class JobCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path repo;
    Path config;
    Path source;
    Path state;
    CliRunner cli;
    Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        repo = tmp.resolve("repo");
        source = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(source.resolve("a.txt"), "first");
        state = tmp.resolve("state");
        config = tmp.resolve("config.toml");
        Files.writeString(tmp.resolve("password"), "correct horse\n");
        cli = new CliRunner(repo, tmp.resolve("cache")).password("correct horse")
                .env("STRATA_STATE_DIR", state.toString()).env("STRATA_CONFIG", config.toString());
        tick();
        assertThat(cli.run("init").code()).isZero();
        cli.password(null); // from here on the configuration file's password-file is the only source
        Files.writeString(config, """
                [repositories.main]
                path = "%s"
                password-file = "%s"
                check = "weekly sun 05:00"
                check-read-data = "50%%"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every 1h"
                keep-last = 2

                [jobs.db]
                stdin-command = "printf 'create table t;'"
                stdin-filename = "shop.sql"
                before = "test -e %s"
                schedule = "daily 02:30"
                max-age = "2d"
                """.formatted(repo, tmp.resolve("password"), source, tmp.resolve("db-up")));
    }

    private void tick() {
        cli.clock(Clock.fixed(now, ZoneOffset.UTC));
    }

    private void later(Duration d) {
        now = now.plus(d);
        tick();
    }

    @Test
    void configCheck_goodFile_sumsItUp() {
        CliRunner.Result r = cli.run("config", "check");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(config + ": ok\n"
                + "repository main: " + repo + ", check weekly sun 05:00 reading 50% of the data\n"
                + "job docs: " + source + " into main, every 1h, keep --keep-last 2\n"
                + "job db: the output of 'printf 'create table t;'' into main, daily 02:30\n");
    }

    @Test
    void configCheck_badFile_listsEveryProblemWithItsLine() throws Exception {
        Files.writeString(config, """
                [repositories.main]
                path = "%s"

                [jobs.docs]
                paths = ["%s"]
                schedule = "every day"
                keep-dayly = 7
                """.formatted(repo, source));
        CliRunner.Result r = cli.run("config", "check", "--config", config.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(config + ":6: jobs.docs.schedule: 'every day': the interval must look like 30m, 1h, 6h or 1d12h\n"
                + config + ":7: jobs.docs: unknown key 'keep-dayly' (known: repository, paths, exclude, tags, one-file-system, "
                + "stdin-command, stdin-filename, before, after, schedule, keep-last, keep-hourly, keep-daily, keep-weekly, "
                + "keep-monthly, keep-yearly, keep-within, max-age)\n"
                + "strata: 2 problems in " + config + "\n");
        CliRunner.Result run = cli.run("run");
        assertThat(run.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("strata: " + config + ":6: jobs.docs.schedule: 'every day': the interval must look like "
                + "30m, 1h, 6h or 1d12h (and 1 more: 'strata config check' lists them)\n");
    }

    @Test
    void run_dueJobs_backsUpForgetsChecks_andRecordsState() throws Exception {
        Files.createFile(tmp.resolve("db-up"));
        CliRunner.Result first = cli.run("run", "--json");
        assertThat(first.code()).as(first.toString()).isZero();
        JsonNode j = JSON.readTree(first.out());
        assertThat(j.path("ok").asInt()).isEqualTo(2);
        assertThat(j.path("jobs").get(0).path("job").asText()).isEqualTo("docs");
        assertThat(j.path("jobs").get(0).path("bytesAdded").asLong()).isPositive();
        assertThat(j.path("jobs").get(0).path("checked").asBoolean()).isTrue();
        assertThat(j.path("jobs").get(1).path("job").asText()).isEqualTo("db");
        assertThat(j.path("jobs").get(1).path("checked").asBoolean()).as("checked once a week, by the first job").isFalse();

        later(Duration.ofMinutes(10));
        CliRunner.Result none = cli.run("run");
        assertThat(none.code()).isZero();
        assertThat(none.out()).isEqualTo("no job is due\n");

        // Two more hourly runs: keep-last 2 leaves two snapshots of docs, the db dump untouched.
        for (int i = 0; i < 2; i++) {
            later(Duration.ofHours(1));
            Files.writeString(source.resolve("b" + i + ".txt"), "more " + i);
            CliRunner.Result r = cli.run("run");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).matches("(?s)docs  ok +\\d+\\.\\ds  added .* snapshot [0-9a-f]{8}\n1 job: 1 ok\n");
        }
        CliRunner.Result snaps = cli.password("correct horse").run("snapshots", "--json", "--tag", "job:docs");
        assertThat(JSON.readTree(snaps.out())).hasSize(2);
        assertThat(JSON.readTree(cli.run("snapshots", "--json", "--tag", "job:db").out())).hasSize(1);
        assertThat(cli.run("check").code()).isZero();

        CliRunner.Result jobs = cli.run("jobs", "--json");
        assertThat(jobs.code()).as(jobs.toString()).isZero();
        JsonNode list = JSON.readTree(jobs.out());
        assertThat(list.get(0).path("lastRun").asText()).isEqualTo(now.toString());
        assertThat(list.get(0).path("nextRun").asText()).isEqualTo(now.plus(Duration.ofHours(1)).toString());
        assertThat(list.get(0).path("result").asText()).isEqualTo("ok");
        assertThat(list.get(1).path("lastRun").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(Files.readString(state.resolve("jobs/state.json"))).contains("\"lastCheck\" : \"2026-12-07T10:00:00Z\"");
        assertThat(cli.run("jobs", "--check").code()).isZero();
    }

    @Test
    void run_failingJob_isReported_andJobsCheckFailsAfterTheSecond() throws Exception {
        CliRunner.Result r = cli.run("run", "db");
        assertThat(r.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(r.out()).matches("db  failed +\\d+\\.\\ds  before command exited with 1\n1 job: 1 failed\n");
        assertThat(cli.run("jobs", "--check").code()).as("one failure is not yet an alarm").isZero();

        later(Duration.ofDays(1));
        assertThat(cli.run("run", "db").code()).isEqualTo(ExitCode.FAILURE.code());
        CliRunner.Result check = cli.run("jobs", "--check");
        assertThat(check.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(check.err()).isEqualTo("strata: job db: failed 2 times in a row (last: before command exited with 1)\n");
        assertThat(check.out()).contains("db    daily 02:30").contains("failed");

        // A success clears it; then, with no success for longer than max-age, it is an alarm again.
        Files.createFile(tmp.resolve("db-up"));
        assertThat(cli.run("run", "db").code()).isZero();
        assertThat(cli.run("jobs", "--check").code()).isZero();
        later(Duration.ofDays(2).plusMinutes(1));
        CliRunner.Result stale = cli.run("jobs", "--check");
        assertThat(stale.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(stale.err()).isEqualTo("strata: job db: no success since 2026-12-08T10:00:00Z, longer than its max-age of 2d\n");
    }

    @Test
    void run_unknownJob_namesTheJobs() {
        CliRunner.Result r = cli.run("run", "photos");
        assertThat(r.code()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err()).isEqualTo("strata: no job named 'photos' in " + config + " (jobs: docs, db)\n");
    }

    @Test
    void run_wrongPassword_failsTheJobWithTheCommandsOwnMessage() throws Exception {
        Files.writeString(tmp.resolve("password"), "wrong\n");
        CliRunner.Result r = cli.run("run", "docs");
        assertThat(r.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(r.out()).contains("docs  failed").contains("backup: wrong password for repository " + repo + " (exit code 11)");
    }

    @Test
    void run_stdinCommandFails_jobFails_andSaysWhatItsSnapshotHolds() throws Exception {
        Files.createFile(tmp.resolve("db-up"));
        Files.writeString(config, Files.readString(config).replace("printf 'create table t;'",
                "echo partial; echo pg_dump: connection refused >&2; exit 2"));
        CliRunner.Result r = cli.run("run", "db");
        assertThat(r.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(r.out()).matches("db  failed +\\d+\\.\\ds  added \\d+ B  snapshot ([0-9a-f]{8})  stdin command exited with 2: "
                + "pg_dump: connection refused \\(snapshot \\1 holds what it printed\\)\n1 job: 1 failed\n");
    }

    @Test
    void run_stdinJob_backupFails_reportsTheBackupsError_notTheBrokenPipeOfItsSource() throws Exception {
        Files.createFile(tmp.resolve("db-up"));
        Files.writeString(tmp.resolve("password"), "wrong\n");
        // Far more than a pipe holds: the command is still writing when the backup gives up.
        Files.writeString(config, Files.readString(config).replace("printf 'create table t;'", "yes | head -c 50000000"));
        CliRunner.Result r = cli.run("run", "db");
        assertThat(r.code()).isEqualTo(ExitCode.FAILURE.code());
        assertThat(r.out()).contains("db  failed").contains("  backup: wrong password for repository " + repo + " (exit code 11)\n");
    }
}
