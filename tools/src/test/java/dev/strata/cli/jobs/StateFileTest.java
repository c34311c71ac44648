package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFileTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    private static JobOutcome outcome(String job, JobOutcome.Result r, Instant at) {
        return new JobOutcome(job, r, at, Duration.ofSeconds(3), r == JobOutcome.Result.FAILED ? -1 : 1234, null, false, false,
                r == JobOutcome.Result.FAILED ? "boom" : null);
    }

    @Test
    void concurrentUpdates_fromTwoStateFiles_loseNothing() throws Exception {
        // Two objects on one folder stand for two processes: only the file lock keeps them apart.
        StateFile a = new StateFile(dir);
        StateFile b = new StateFile(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StateFile s = i % 2 == 0 ? a : b;
            String job = i % 4 < 2 ? "docs" : "db";
            done.add(pool.submit(() -> {
                s.recordJob(outcome(job, JobOutcome.Result.FAILED, T));
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(a.read().job("docs").failuresInARow()).isEqualTo(20);
        assertThat(b.read().job("db").failuresInARow()).isEqualTo(20);
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void record_successAfterFailures_clearsTheCount_andKeepsTheFirstRun() throws Exception {
        StateFile s = new StateFile(dir);
        s.recordJob(outcome("docs", JobOutcome.Result.FAILED, T));
        s.recordJob(outcome("docs", JobOutcome.Result.INCOMPLETE, T.plusSeconds(60)));
        JobRecord r = new StateFile(dir).read().job("docs");
        assertThat(r).isEqualTo(new JobRecord(T.plusSeconds(60), JobOutcome.Result.INCOMPLETE, Duration.ofSeconds(3), 1234, null,
                null, T.plusSeconds(60), T, 0));
        s.recordMaintenance("main", true, T);
        s.recordMaintenance("main", false, T.plusSeconds(5));
        assertThat(s.read().repository("main")).isEqualTo(new StateFile.RepositoryRecord(T, T.plusSeconds(5)));
    }

    @Test
    void alarm_twoFailuresInARow_orNoSuccessForLongerThanMaxAge() {
        JobRecord once = JobRecord.NEVER.after(outcome("db", JobOutcome.Result.FAILED, T));
        assertThat(once.alarm(null, T.plusSeconds(1))).isNull();
        assertThat(once.alarm(Duration.ofHours(1), T.plusSeconds(3601)))
                .isEqualTo("no success since its first run at 2026-12-07T10:00:00Z, longer than its max-age of 1h");
        JobRecord twice = once.after(outcome("db", JobOutcome.Result.FAILED, T.plusSeconds(60)));
        assertThat(twice.alarm(null, T)).isEqualTo("failed 2 times in a row (last: boom)");
        JobRecord ok = twice.after(outcome("db", JobOutcome.Result.OK, T.plusSeconds(120)));
        assertThat(ok.alarm(Duration.ofDays(1), T.plusSeconds(120).plus(Duration.ofDays(1)))).isNull();
        assertThat(ok.alarm(Duration.ofDays(1), T.plusSeconds(121).plus(Duration.ofDays(1))))
                .isEqualTo("no success since 2026-12-07T10:02:00Z, longer than its max-age of 1d");
    }

    @Test
    void read_damagedFile_saysWhatToDo() throws Exception {
        Files.writeString(dir.resolve("state.json"), "{\"version\": 1, \"jobs\": {");
        assertThatThrownBy(() -> new StateFile(dir).read()).hasMessageStartingWith("the job state file " + dir.resolve("state.json")
                + " is damaged (").hasMessageEndingWith("); move it away to start afresh");
        Files.writeString(dir.resolve("state.json"), "{\"version\": 7}");
        assertThatThrownBy(() -> new StateFile(dir).read())
                .hasMessage("the job state file " + dir.resolve("state.json") + " has version 7; this strata reads version 1");
    }
}
