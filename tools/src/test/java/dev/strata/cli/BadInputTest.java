package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the command line is a one-line usage error (exit 2), never a stack trace or a silent no-op. */
class BadInputTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
        assertThat(cli.run("init").code()).isZero();
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");
        assertThat(cli.run("backup", src.toString()).code()).isZero();
    }

    @ParameterizedTest(name = "strata {0}")
    @CsvSource(delimiter = '|', value = {
        "backup SRC --exclude [abc            | --exclude: malformed pattern '[abc'",
        "backup SRC --exclude a\\             | --exclude: malformed pattern 'a\\'",
        "backup SRC --iexclude x/[[:nope:]]   | --iexclude: malformed pattern 'x/[[:nope:]]'",
        "backup SRC --exclude=                | --exclude: empty exclude pattern",
        "restore latest --target TARGET --include [abc | --include: malformed pattern '[abc'",
        "restore latest --target TARGET --exclude [abc | --exclude: malformed pattern '[abc'",
        "find [abc                            | malformed pattern '[abc'",
    })
    void badPattern_isAUsageError_onOneLine(String line, String message) {
        String[] args = line.replace("SRC", src.toString()).replace("TARGET", tmp.resolve("target").toString()).split(" ");
        CliRunner.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("strata: " + message).doesNotContain("internal error");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(tmp.resolve("target")).doesNotExist();
    }
}
