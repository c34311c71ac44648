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

/** strata find --ignore-case: names and whole paths match whatever the case of their letters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FindIgnoreCaseTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
        assertThat(cli.run("init").code()).isZero();
        src = Files.createDirectories(tmp.resolve("src/Holiday"));
        Files.writeString(src.resolve("Photo.JPG"), "jpeg");
        Files.writeString(src.resolve("Été.txt"), "summer");
        assertThat(cli.run("backup", "-q", src.toString()).code()).isZero();
    }

    @Test
    void name_matchesOnlyWithIgnoreCase() {
        assertThat(cli.run("find", "*.jpg").code()).isEqualTo(ExitCode.NOT_FOUND.code());

        CliRunner.Result r = cli.run("find", "--ignore-case", "*.jpg");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("/Holiday/Photo.JPG").contains("1 match");
    }

    @Test
    void wholePath_andNonAsciiLetters_matchWithIgnoreCase() {
        assertThat(cli.run("find", "--ignore-case", "**/holiday/PHOTO.jpg").out()).contains("/Holiday/Photo.JPG");
        assertThat(cli.run("find", "--ignore-case", "ÉTÉ.*").out()).contains("/Holiday/Été.txt");
        assertThat(cli.run("find", "--ignore-case", "[a-z]hoto.jpg").out()).contains("Photo.JPG");
    }

    @Test
    void caseSensitive_byDefault() {
        assertThat(cli.run("find", "ÉTÉ.*").code()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(cli.run("find", "Été.*").code()).isZero();
    }
}
