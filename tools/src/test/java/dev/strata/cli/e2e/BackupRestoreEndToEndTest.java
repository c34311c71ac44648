package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.posix.Posix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup then restore through the CLI gives back the very tree that was saved, every kind of entry
 * and metadata included: whole snapshots, paths inside them, a second (resumed) restore into the
 * same folder, and --verify.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackupRestoreEndToEndTest {
    @TempDir
    static Path tmp;
    static Path src;
    static CliRunner cli;
    /** The source as it was before the backup read it. */
    static TreeComparison.Manifest source;

    @BeforeAll
    static void backUpEverything() throws IOException {
        src = TreeFixture.everything(42).createOn(tmp.resolve("src"));
        source = TreeComparison.scan(src);
        cli = E2e.smallRepository(tmp);
        CliRunner.Result backup = ok(cli, "backup", src.toString());
        assertThat(backup.err()).as("no warnings").isEmpty();
        assertThat(backup.out()).contains("saved");
    }

    @Test
    void restoreWholeSnapshot_isIdenticalToTheSource() throws IOException {
        Path target = tmp.resolve("whole");
        CliRunner.Result r = ok(cli, "restore", "latest", "--target", target.toString());
        assertThat(r.err()).isEmpty();
        List<String> diffs = TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)));
        assertThat(diffs).as("differences after restore").isEmpty();
    }

    @Test
    void restoreSubPath_restoresOnlyThatFolder_identically() throws IOException {
        Path target = tmp.resolve("sub");
        ok(cli, "restore", "latest:" + src + "/dir with spaces", "--target", target.toString());
        assertThat(TreeComparison.compare(source.subtree("dir with spaces"), TreeComparison.scan(target), false)).isEmpty();

        Path deep = tmp.resolve("deep");
        ok(cli, "restore", "latest:" + src + "/deep/level-1/level-2", "--target", deep.toString());
        assertThat(TreeComparison.compare(source.subtree("deep/level-1/level-2"), TreeComparison.scan(deep), false)).isEmpty();
    }

    @Test
    void restoreWithInclude_writesMatchesAndTheFoldersAboveThem_withTheirMetadata() throws IOException {
        Path target = tmp.resolve("included");
        ok(cli, "restore", "latest:" + src, "--target", target.toString(), "--include", "*.txt");
        List<String> txt = source.paths().stream().filter(p -> p.endsWith(".txt")).toList();
        assertThat(txt).contains("small.txt", "deep/level-1/level-2/level-3/level-4/level-5/level-6/level-7/level-8/level-9/level-10/level-11/level-12/leaf.txt");
        TreeComparison.Manifest expected = source.only(p -> txt.stream().anyMatch(t -> t.equals(p) || t.startsWith(p + "/")));
        assertThat(TreeComparison.compare(expected, TreeComparison.scan(target), false)).isEmpty();
    }

    @Test
    void restoreWithExclude_leavesOutWholeFolders() throws IOException {
        Path target = tmp.resolve("excluded");
        ok(cli, "restore", "latest:" + src, "--target", target.toString(), "--exclude", "links", "--exclude", "special/");
        TreeComparison.Manifest expected = source.only(p -> !p.equals("links") && !p.startsWith("links/")
                && !p.equals("special") && !p.startsWith("special/"));
        assertThat(TreeComparison.compare(expected, TreeComparison.scan(target), false)).isEmpty();
    }

    @Test
    void restoreSingleFile_writesOnlyThatFile() throws IOException {
        Path target = tmp.resolve("single");
        ok(cli, "restore", "latest:" + src + "/big.bin", "--target", target.toString());
        assertThat(TreeComparison.compare(source.only(p -> p.equals("big.bin")), TreeComparison.scan(target), false)).isEmpty();
    }

    @Test
    void restoreTwice_secondRunKeepsIdenticalFiles_andResumeWritesOnlyWhatIsMissing() throws IOException {
        Path target = tmp.resolve("twice");
        Path root = E2e.restoredAt(target, src);
        JsonNode first = lastJson(ok(cli, "restore", "latest", "--target", target.toString(), "--json"));
        assertThat(first.get("bytesWritten").asLong()).isPositive();
        Map<String, Long> inodes = fileInodes(root);

        JsonNode second = lastJson(ok(cli, "restore", "latest", "--target", target.toString(), "--json"));
        assertThat(second.get("bytesWritten").asLong()).as("nothing rewritten: %s", second).isZero();
        // Every name is kept, the extra names of hard links too (they used to be linked anew).
        assertThat(second.get("filesRestored").asLong()).as("%s", second).isZero();
        assertThat(second.get("filesSkipped").asLong()).as("%s", second).isEqualTo(inodes.size());
        assertThat(fileInodes(root)).as("the same files, not new copies").isEqualTo(inodes);
        assertThat(TreeComparison.compare(source, TreeComparison.scan(root))).isEmpty();

        // An interrupted restore: one file never written, one cut short.
        Files.delete(root.resolve("big.bin"));
        try (RandomAccessFile raf = new RandomAccessFile(root.resolve("text.log").toFile(), "rw")) {
            raf.setLength(1000);
        }
        JsonNode resumed = lastJson(ok(cli, "restore", "latest", "--target", target.toString(), "--json"));
        long expectedBytes = Files.size(src.resolve("big.bin")) + Files.size(src.resolve("text.log"));
        assertThat(resumed.get("bytesWritten").asLong()).as("%s", resumed).isEqualTo(expectedBytes);
        assertThat(TreeComparison.compare(source, TreeComparison.scan(root))).isEmpty();
        Map<String, Long> after = fileInodes(root);
        inodes.forEach((p, ino) -> {
            if (!p.equals("big.bin") && !p.equals("text.log")) {
                assertThat(after.get(p)).as("%s kept", p).isEqualTo(ino);
            }
        });
    }

    @Test
    void ifChanged_keepsAFileOfSameSizeAndTime_alwaysReplacesIt() throws IOException {
        Path target = tmp.resolve("modes");
        Path root = E2e.restoredAt(target, src);
        ok(cli, "restore", "latest", "--target", target.toString());
        Path small = root.resolve("small.txt");
        var before = Posix.get().lstat(small);
        Files.writeString(small, "HELLO, strata\n");
        Posix.get().setTimes(small, before.atime(), before.mtime(), false);

        ok(cli, "restore", "latest", "--target", target.toString());
        assertThat(Files.readString(small)).as("documented: if-changed keeps same size and mtime").isEqualTo("HELLO, strata\n");

        ok(cli, "restore", "latest", "--target", target.toString(), "--overwrite", "always");
        assertThat(TreeComparison.compare(source, TreeComparison.scan(root))).isEmpty();
    }

    @Test
    void restoreWithVerify_succeedsAndIsIdentical() throws IOException {
        Path target = tmp.resolve("verified");
        CliRunner.Result r = ok(cli, "restore", "latest", "--target", target.toString(), "--verify");
        assertThat(r.err()).isEmpty();
        assertThat(TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)))).isEmpty();
    }

    private static Map<String, Long> fileInodes(Path root) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String p : TreeComparison.scan(root).files()) {
            out.put(p, Posix.get().lstat(root.resolve(p)).inode());
        }
        return out;
    }
}
