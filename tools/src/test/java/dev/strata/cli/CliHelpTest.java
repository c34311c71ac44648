package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --help on every command, the exit codes in the root help, the usage hint and --debug anywhere. */
class CliHelpTest {
    @TempDir
    Path tmp;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
    }

    @ParameterizedTest(name = "strata {0} --help")
    @ValueSource(strings = {"init", "backup", "snapshots", "ls", "diff", "find", "restore", "forget", "prune",
            "check", "key", "key add", "stats", "repair", "repair index", "unlock", "mount", "umount", "demo", "sync", "sync id",
            "sync add-peer", "sync peers", "sync remove-peer", "sync run", "sync status"})
    void everyCommand_answersHelp(String command) {
        String[] words = (command + " --help").split(" ");
        CliRunner.Result r = cli.run(words);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Usage: strata " + command);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void everyArgument_isDescribed() {
        assertThat(cli.run("diff", "--help").out())
                .contains("The snapshot to compare from").contains("The snapshot to compare to");
        assertThat(cli.run("find", "--help").out()).contains("A glob matched against each name");
    }

    @Test
    void rootHelp_listsTheExitCodes() {
        CliRunner.Result r = cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("0 ok, 1 failure, 2 usage, 3 incomplete, 10 not a repository")
                .contains("11 wrong password, 12 unsupported format, 13 locked")
                .contains("14 damaged data, 15 not found, 16 already exists")
                .contains("20 storage refused the credentials, 21 no such bucket")
                .contains("22 storage denied access, 23 storage unreachable");
    }

    @Test
    void usageHint_namesTheCommand_withoutADoubleSpace() {
        assertThat(cli.run("--no-such").err()).contains("Try 'strata --help' for usage.");
        assertThat(cli.run("stats", "--no-such").err()).contains("Try 'strata stats --help' for usage.");
        assertThat(cli.run("key", "add", "--no-such").err()).contains("Try 'strata key add --help' for usage.");
    }

    @Test
    void debug_afterTheCommandName_printsTheStackTrace() {
        CliRunner.Result r = cli.run("stats", "--debug");
        assertThat(r.code()).isEqualTo(ExitCode.NOT_A_REPOSITORY.code());
        assertThat(r.err()).contains("\tat ");
    }
}
