package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code strata forget} through the CLI: the dry run lists every snapshot with its reason, the real run removes, --prune frees. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForgetCommandTest {
    @TempDir
    Path tmp;

    @Test
    void keepLast_dryRunListsReasons_thenRemoves_thenPruneFreesSpace() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Files.write(src.resolve("data.bin"), RandomData.bytes(i, 400_000));
            JsonNode s = lastJson(ok(cli, "backup", src.toString(), "--json", "--time", "2026-03-0" + i + "T08:00:00Z"));
            ids.add(s.get("snapshot").asText().substring(0, 8));
        }
        String before = ok(cli, "snapshots").out();

        CliRunner.Result dry = ok(cli, "forget", "--keep-last", "2", "--dry-run");
        List<String> lines = dry.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("keep 2, remove 2"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("keep").contains(ids.get(3)).endsWith("last-1"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("keep").contains(ids.get(2)).endsWith("last-2"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("remove").contains(ids.get(1)));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("remove").contains(ids.get(0)));
        assertThat(dry.out()).contains("(dry run) would have: 2 snapshot(s) removed, 2 kept");
        assertThat(ok(cli, "snapshots").out()).as("a dry run removes nothing").isEqualTo(before);

        CliRunner.Result real = ok(cli, "forget", "--keep-last", "2");
        assertThat(real.out()).contains("2 snapshot(s) removed, 2 kept");
        assertThat(snapshotIds(cli)).containsExactly(ids.get(2), ids.get(3));

        JsonNode statsBefore = lastJson(ok(cli, "stats", "--json"));
        CliRunner.Result pruned = ok(cli, "forget", "--keep-last", "1", "--prune");
        assertThat(pruned.out()).contains("1 snapshot(s) removed, 1 kept").containsPattern("deleted [1-9][0-9]* of [0-9]+ packs");
        assertThat(snapshotIds(cli)).containsExactly(ids.get(3));
        JsonNode statsAfter = lastJson(ok(cli, "stats", "--json"));
        assertThat(statsAfter.get("chunks").asLong()).as("%s -> %s", statsBefore, statsAfter)
                .isLessThan(statsBefore.get("chunks").asLong());
        ok(cli, "check", "--read-data");
        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest:" + src, "--target", out.toString());
        assertThat(Files.readAllBytes(out.resolve("data.bin"))).isEqualTo(RandomData.bytes(4, 400_000));
    }

    @Test
    void forgetById_removesExactlyTheSnapshotsNamed_andNothingWhenOneIsUnknown() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Files.write(src.resolve("data.bin"), RandomData.bytes(i, 100_000));
            ids.add(lastJson(ok(cli, "backup", src.toString(), "--json")).get("snapshot").asText());
        }

        CliRunner.Result dry = ok(cli, "forget", ids.get(0), "--dry-run");
        assertThat(dry.out()).contains("remove  " + ids.get(0).substring(0, 8)).contains("(dry run) would have: 1 snapshot(s) removed, 3 kept");
        assertThat(snapshotIds(cli)).hasSize(4);

        CliRunner.Result unknown = cli.run("forget", ids.get(1), "deadbeef");
        assertThat(unknown.code()).as("%s", unknown).isEqualTo(dev.strata.core.error.ExitCode.NOT_FOUND.code());
        assertThat(snapshotIds(cli)).as("nothing is removed when one id is unknown").hasSize(4);

        CliRunner.Result both = cli.run("forget", ids.get(1), "--keep-last", "1");
        assertThat(both.code()).as("%s", both).isEqualTo(dev.strata.core.error.ExitCode.USAGE.code());

        CliRunner.Result removed = ok(cli, "forget", ids.get(0), ids.get(2).substring(0, 10));
        assertThat(removed.out()).contains("2 snapshot(s) removed, 2 kept");
        assertThat(snapshotIds(cli)).containsExactly(ids.get(1).substring(0, 8), ids.get(3).substring(0, 8));

        CliRunner.Result pruned = ok(cli, "forget", ids.get(1), "--prune");
        assertThat(pruned.out()).contains("1 snapshot(s) removed, 1 kept").containsPattern("deleted [1-9][0-9]* of [0-9]+ packs");
        ok(cli, "check", "--read-data");
    }

    private static List<String> snapshotIds(CliRunner cli) throws IOException {
        List<String> out = new ArrayList<>();
        E2e.JSON.readTree(ok(cli, "snapshots", "--json").out()).forEach(s -> out.add(s.get("shortId").asText()));
        return out;
    }
}
