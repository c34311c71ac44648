package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** strata dump: an archive of a snapshot's folder to a file or standard output, its format from the file name. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DumpCommandTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
        assertThat(cli.run("init").code()).isZero();
        src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createSymbolicLink(src.resolve("l"), Path.of("a.txt"));
        assertThat(cli.run("backup", "-q", src.toString()).code()).isZero();
    }

    @Test
    void toFile_formatFromName_extractsWithTar() throws Exception {
        for (String name : new String[]{"out.tar", "out.tar.zst"}) {
            Path archive = tmp.resolve(name);
            CliRunner.Result r = cli.run("dump", "latest:" + src, "-o", archive.toString());
            assertThat(r.code()).as(r.toString()).isZero();
            Path x = Files.createDirectories(tmp.resolve("x-" + name));

            Process p = new ProcessBuilder("tar", "-x", "-a", "-f", archive.toString(), "-C", x.toString()).inheritIO().start();

            assertThat(p.waitFor()).isZero();
            assertThat(Files.readString(x.resolve("a.txt"))).isEqualTo("alpha");
            assertThat(Files.readSymbolicLink(x.resolve("l"))).isEqualTo(Path.of("a.txt"));
        }
        byte[] zip = Files.readAllBytes(dumpTo("z.zip"));
        assertThat(new String(zip, 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("PK");
    }

    @Test
    void toStandardOutput_isATar() {
        CliRunner.Result r = cli.run("dump", "latest:" + src.resolve("a.txt"));

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("PaxHeaders/a.txt").contains("alpha");
    }

    @Test
    void onATerminal_refuses() {
        CliRunner.Result r = cli.typing().run("dump", "latest");

        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("an archive is not for a terminal");
    }

    @Test
    void missingPath_isNotFound_andLeavesNoFile() {
        Path archive = tmp.resolve("none.tar");
        CliRunner.Result r = cli.run("dump", "latest:/no/such/path", "-o", archive.toString());

        assertThat(r.code()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err()).contains("'/no/such/path' is not in the snapshot");
        assertThat(archive).doesNotExist();
    }

    @Test
    void unknownFormat_isAUsageError() {
        CliRunner.Result r = cli.run("dump", "latest", "--format", "rar", "-o", tmp.resolve("o").toString());

        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--format must be tar, tar.zst or zip, not 'rar'");
    }

    private Path dumpTo(String name) {
        Path archive = tmp.resolve(name);
        CliRunner.Result r = cli.run("dump", "latest:" + src, "-o", archive.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        return archive;
    }
}
