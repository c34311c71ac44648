package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** strata backup --from-tar: a tarball from a file or standard input becomes a snapshot that restores to its tree. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackupFromTarTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path archive;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
        assertThat(cli.run("init").code()).isZero();
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createSymbolicLink(src.resolve("l"), Path.of("a.txt"));
        archive = tmp.resolve("in.tar");
        Process p = new ProcessBuilder("tar", "-c", "--format=posix", "-f", archive.toString(), "-C", tmp.resolve("src").toString(), "sub")
                .inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void fromFile_restoresTheTree() throws Exception {
        CliRunner.Result r = cli.run("backup", "--from-tar", archive.toString(), "--tag", "imported");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("imported 1 files and 1 folders").contains("saved");
        assertThat(cli.run("snapshots", "--tag", "imported").out()).contains("1 snapshot");
        assertRestores();
    }

    @Test
    void fromStandardInput_restoresTheTree() throws Exception {
        CliRunner.Result r = cli.stdin(Files.readAllBytes(archive)).run("backup", "--from-tar", "-", "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"files\":1");
        assertRestores();
    }

    @Test
    void withPaths_isAUsageError() {
        CliRunner.Result r = cli.run("backup", "--from-tar", archive.toString(), tmp.toString());

        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--from-tar saves the tarball only");
    }

    @Test
    void missingFile_isNotFound() {
        CliRunner.Result r = cli.run("backup", "--from-tar", tmp.resolve("none.tar").toString());

        assertThat(r.code()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err()).contains("cannot import").contains("it does not exist");
    }

    private void assertRestores() throws Exception {
        Path target = tmp.resolve("t");
        CliRunner.Result r = cli.run("restore", "latest", "-t", target.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.readString(target.resolve("sub/a.txt"))).isEqualTo("alpha");
        assertThat(Files.readSymbolicLink(target.resolve("sub/l"))).isEqualTo(Path.of("a.txt"));
    }
}
