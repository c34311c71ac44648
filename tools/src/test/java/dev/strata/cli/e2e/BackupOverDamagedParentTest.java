package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup whose parent snapshot lost data reads the affected files again instead of reusing the
 * parent's references to lost chunks, so the new snapshot is whole; files whose chunks are intact are
 * still skipped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BackupOverDamagedParentTest {
    private static final int FILES = 60;

    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;
    TreeComparison.Manifest source;
    PackDamage damage;
    List<PackTable> packs;

    @BeforeEach
    void backUp() throws IOException {
        cli = E2e.smallRepository(tmp);
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < FILES; i++) {
            Files.write(src.resolve((i % 4 == 0 ? "sub/" : "") + "file-" + i), RandomData.bytes(i, 20_000 + i * 700));
        }
        ok(cli, "backup", src.toString());
        damage = new PackDamage(tmp);
        packs = damage.tables();
    }

    @Test
    void filesWhoseChunksWereLost_areReadAgain_andTheNewSnapshotRestoresWhole() throws IOException {
        List<PackTable> data = packs.stream().filter(t -> t.type() == PackType.DATA)
                .sorted(Comparator.comparing(t -> t.id().toString())).toList();
        damage.delete(data.get(0));
        damage.flipEntry(data.get(1), data.get(1).entries().get(0));
        assertThat(cli.run("check", "--read-data").code()).isEqualTo(ExitCode.CORRUPT.code());

        source = TreeComparison.scan(src); // after the first backup read the files (their atimes)
        JsonNode second = lastJson(ok(cli, "backup", src.toString(), "--json"));

        long reread = second.get("filesOpened").asLong();
        assertThat(reread).as("only files that lost a chunk are read: %s", second).isPositive().isLessThan(FILES);
        assertThat(second.get("filesUnchanged").asLong()).isEqualTo(FILES - reread);
        assertRestoresWhole(second.get("snapshot").asText());
    }

    @Test
    void aParentWhoseFolderTreeIsDamaged_stillBacksUp_andTheNewSnapshotRestoresWhole() throws IOException {
        PackTable trees = packs.stream().filter(t -> t.type() == PackType.TREE).findFirst().orElseThrow();
        for (var e : trees.entries()) {
            damage.flipEntry(trees, e);
        }

        source = TreeComparison.scan(src); // after the first backup read the files (their atimes)
        JsonNode second = lastJson(ok(cli, "backup", src.toString(), "--json"));

        assertRestoresWhole(second.get("snapshot").asText());
    }

    private void assertRestoresWhole(String snapshot) throws IOException {
        Path out = tmp.resolve("out");
        ok(cli, "restore", snapshot + ":" + src, "--target", out.toString());
        assertThat(TreeComparison.compare(source, TreeComparison.scan(out), false)).isEmpty();
    }
}
