package dev.strata.snapshot.backup.filter;

import dev.strata.snapshot.backup.filter.FilesFrom.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.strata.snapshot.backup.filter.TestWalk.tree;
import static dev.strata.snapshot.backup.filter.TestWalk.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesFromTest {
    private static final Path CWD = Path.of("/work/dir");

    @Test
    void parse_lines_skipsCommentsAndBlanks_resolvesAndNormalizes() {
        String list = "# my targets\n"
                + "/etc/hosts\n"
                + "\n"
                + "   \n"
                + "docs/report.pdf\r\n"
                + "./notes/../todo.txt\n"
                + "../shared\n"
                + "\t# not at line start, but blank-led: still a path\n"
                + "/etc/hosts\n"
                + "name with spaces \n"
                + "last-without-newline";

        FilesFrom.Result r = FilesFrom.parse(list, Format.LINES, CWD);

        assertThat(r.paths()).containsExactly(
                Path.of("/etc/hosts"),
                Path.of("/work/dir/docs/report.pdf"),
                Path.of("/work/dir/todo.txt"),
                Path.of("/work/shared"),
                Path.of("/work/dir/\t# not at line start, but blank-led: still a path"),
                Path.of("/work/dir/name with spaces "),
                Path.of("/work/dir/last-without-newline"));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void parse_nulSeparated_takesEntriesExactly() {
        String list = "/a/line\nbreak\0#not-a-comment\0\0 spaced \0rel/x\0";

        FilesFrom.Result r = FilesFrom.parse(list, Format.NUL_SEPARATED, CWD);

        assertThat(r.paths()).containsExactly(
                Path.of("/a/line\nbreak"),
                Path.of("/work/dir/#not-a-comment"),
                Path.of("/work/dir/ spaced "),
                Path.of("/work/dir/rel/x"));
    }

    @Test
    void parse_invalidPath_isAProblemNotAnError() {
        FilesFrom.Result r = FilesFrom.parse("/ok\n/bad\0nul\n", Format.LINES, CWD);

        assertThat(r.paths()).containsExactly(Path.of("/ok"));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/bad\0nul");
            assertThat(p.message()).startsWith("not a valid path");
        });
    }

    @Test
    void parse_relativeWorkingDirectory_isMadeAbsolute() {
        FilesFrom.Result r = FilesFrom.parse("x", Format.LINES, Path.of("rel"));

        assertThat(r.paths()).containsExactly(Path.of("rel").toAbsolutePath().resolve("x"));
    }

    @Test
    void read_reportsMissingTargets_andKeepsDanglingLinks(@TempDir Path dir) throws IOException {
        tree(dir, "here.txt", "sub/");
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        Path list = dir.resolve("list.txt");
        write(list, "here.txt\nsub\ngone.txt\ndangling\n" + dir.resolve("also-gone") + "\n");

        FilesFrom.Result r = FilesFrom.read(list, Format.LINES, dir);

        assertThat(r.paths()).containsExactly(dir.resolve("here.txt"), dir.resolve("sub"), dir.resolve("dangling"));
        assertThat(r.problems()).containsExactly(
                new FilterProblem(dir.resolve("gone.txt").toString(), "no such file or directory"),
                new FilterProblem(dir.resolve("also-gone").toString(), "no such file or directory"));
    }

    @Test
    void read_nulSeparatedWithNewlineInName(@TempDir Path dir) throws IOException {
        Path odd = dir.resolve("two\nlines");
        write(odd, "x");
        Path list = dir.resolve("list0");
        Files.write(list, (odd + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(FilesFrom.read(list, Format.NUL_SEPARATED, dir).paths()).containsExactly(odd);
    }

    @Test
    void read_missingListFile_failsNamingIt(@TempDir Path dir) {
        Path list = dir.resolve("nope");
        assertThatThrownBy(() -> FilesFrom.read(list, Format.LINES, dir))
                .isInstanceOf(IOException.class).hasMessageContaining("read --files-from list " + list);
    }
}
