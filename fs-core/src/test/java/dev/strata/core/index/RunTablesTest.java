package dev.strata.core.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Run tables: each run of check, prune or stats gets a table of its own, dropped at the end, and the
 * tables of runs whose process ended are dropped by the next run.
 */
class RunTablesTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoRunsOfOnePurpose_getSeparateTables() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            LmdbTable a = lmdb.openRunTable("check");
            LmdbTable b = lmdb.openRunTable("check");
            a.put(bytes("k"), bytes("a"));

            assertThat(a.name()).isNotEqualTo(b.name()).startsWith("run/check/" + ProcessHandle.current().pid() + "/");
            assertThat(b.get(bytes("k"))).isNull();
            b.clear();
            assertThat(a.get(bytes("k"))).isEqualTo(bytes("a"));
        }
    }

    @Test
    void drop_removesTheTableFromTheEnvironment_andIsIdempotent() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            LmdbTable t = lmdb.openRunTable("prune");
            t.put(bytes("k"), bytes("v"));
            assertThat(lmdb.tableNames()).contains(t.name());

            t.drop();
            t.drop();

            assertThat(lmdb.tableNames()).doesNotContain(t.name());
        }
    }

    /** A run killed before it could drop its table: the next run in another process drops it. */
    @Test
    void leftoversOfEndedProcesses_areDropped_liveOnesKept() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor(10, TimeUnit.SECONDS);
        Process alive = new ProcessBuilder("sleep", "60").start();
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            long aliveStart = alive.info().startInstant().orElseThrow().toEpochMilli();
            long myStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
            String deadName = "run/check/" + ended.pid() + "/" + Instant.now().toEpochMilli() + "/0a0b0c";
            String liveName = "run/check/" + alive.pid() + "/" + aliveStart + "/0a0b0c";
            String reusedPid = "run/stats/" + ProcessHandle.current().pid() + "/" + (myStart - 60_000) + "/0a0b0c";
            String mine = "run/stats/" + ProcessHandle.current().pid() + "/" + myStart + "/0a0b0c";
            for (String name : new String[] {deadName, liveName, reusedPid, mine, "snapshots"}) {
                lmdb.openTable(name).put(bytes("k"), bytes("v"));
            }

            assertThat(lmdb.dropTablesOfEndedRuns()).isEqualTo(2);

            assertThat(lmdb.tableNames()).contains(liveName, mine, "snapshots").doesNotContain(deadName, reusedPid);
        } finally {
            alive.destroyForcibly();
        }
    }

    @Test
    void openRunTable_cleansUpFirst() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor(10, TimeUnit.SECONDS);
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            String deadName = "run/prune/" + ended.pid() + "/1/ffffff";
            lmdb.openTable(deadName).put(bytes("k"), bytes("v"));

            LmdbTable t = lmdb.openRunTable("prune");

            assertThat(lmdb.tableNames()).containsExactly(t.name());
        }
    }

    @Test
    void purpose_isOneWord() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            assertThatThrownBy(() -> lmdb.openRunTable("a/b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lmdb.openRunTable("")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
