package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
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

/**
 * A second backup reads only what changed since its parent (counted from the snapshot summary),
 * deduplicates a touched file, records deletions and additions, and {@code diff} tells the kinds of
 * change apart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IncrementalBackupTest {
    private static final int FILES = 40;

    @TempDir
    Path tmp;

    @Test
    void secondBackup_readsOnlyChangedFiles_andDiffListsEveryKindOfChange() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        long total = 0;
        for (int i = 0; i < FILES; i++) {
            Path p = src.resolve((i % 2 == 0 ? "" : "sub/") + String.format("file-%02d.txt", i));
            byte[] data = RandomData.text(i, i == 10 ? 300_000 : 20_000 + i * 100);
            Files.write(p, data);
            total += data.length;
        }

        JsonNode a = lastJson(ok(cli, "backup", src.toString(), "--json"));
        assertThat(a.get("filesNew").asLong()).isEqualTo(FILES);
        assertThat(a.get("bytesRead").asLong()).isEqualTo(total);

        // Change two files.
        Path changed1 = src.resolve("file-04.txt");
        Path changed2 = src.resolve("sub/file-07.txt");
        Files.write(changed1, RandomData.text(1004, 25_000));
        Files.write(changed2, RandomData.text(1007, 17_000));
        JsonNode b = lastJson(ok(cli, "backup", src.toString(), "--json"));
        assertThat(b.get("filesChanged").asLong()).as("%s", b).isEqualTo(2);
        assertThat(b.get("filesUnchanged").asLong()).as("%s", b).isEqualTo(FILES - 2);
        assertThat(b.get("filesNew").asLong()).as("%s", b).isZero();
        assertThat(b.get("filesOpened").asLong()).as("only the changed files are opened: %s", b).isEqualTo(2);
        assertThat(b.get("bytesRead").asLong()).as("%s", b).isEqualTo(25_000 + 17_000);
        JsonNode recorded = summaryOf(cli, b.get("snapshot").asText());
        assertThat(recorded.get("filesChanged").asLong()).isEqualTo(2);
        assertThat(recorded.get("bytesRead").asLong()).isEqualTo(25_000 + 17_000);

        // Touch one (same content, new mtime), delete one, add one.
        Path touched = src.resolve("file-10.txt");
        Posix.get().setTimes(touched, null, new Timespec(1_700_000_000L, 42), false);
        Files.delete(src.resolve("file-20.txt"));
        Files.write(src.resolve("sub/added.txt"), RandomData.text(2000, 5_000));
        TreeComparison.Manifest sourceC = TreeComparison.scan(src);
        JsonNode c = lastJson(ok(cli, "backup", src.toString(), "--json"));
        assertThat(c.get("filesNew").asLong()).as("%s", c).isEqualTo(1);
        assertThat(c.get("filesChanged").asLong()).as("the touched file is re-read: %s", c).isEqualTo(1);
        assertThat(c.get("filesUnchanged").asLong()).as("%s", c).isEqualTo(FILES - 2);
        assertThat(c.get("bytesRead").asLong()).as("%s", c).isEqualTo(300_000 + 5_000);
        assertThat(c.get("bytesAdded").asLong()).as("the touched file's content is deduplicated: %s", c).isLessThan(100_000);

        String snapA = a.get("snapshot").asText();
        String snapB = b.get("snapshot").asText();
        String snapC = c.get("snapshot").asText();
        assertThat(fileChanges(cli, snapA, snapB)).containsExactlyInAnyOrder(
                "modified " + changed1, "modified " + changed2);
        assertThat(fileChanges(cli, snapB, snapC)).containsExactlyInAnyOrder(
                "metadata " + touched, "removed " + src.resolve("file-20.txt"), "added " + src.resolve("sub/added.txt"));

        CliRunner.Result human = ok(cli, "diff", snapB, snapC);
        assertThat(human.out()).contains("+  " + src.resolve("sub/added.txt")).contains("-  " + src.resolve("file-20.txt"))
                .contains("U  " + touched).contains("U  " + src + "/").contains("1 added, 1 removed, 0 modified");

        // The last snapshot holds the tree as it was when that backup began (before it read the files).
        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest:" + src, "--target", out.toString());
        assertThat(TreeComparison.compare(sourceC, TreeComparison.scan(out), false)).isEmpty();
    }

    private static JsonNode summaryOf(CliRunner cli, String id) throws IOException {
        for (JsonNode s : E2e.JSON.readTree(ok(cli, "snapshots", "--json").out())) {
            if (s.get("id").asText().equals(id)) {
                return s.get("summary");
            }
        }
        throw new AssertionError("no snapshot " + id);
    }

    /** "kind path" of every change to a non-folder entry between two snapshots. */
    private static List<String> fileChanges(CliRunner cli, String older, String newer) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : ok(cli, "diff", older, newer, "--json").out().split("\n")) {
            JsonNode n = E2e.JSON.readTree(line);
            if (n.get("type").asText().equals("change") && !n.get("path").asText().endsWith("/")) {
                out.add(n.get("change").asText() + " " + n.get("path").asText());
            }
        }
        return out;
    }
}
