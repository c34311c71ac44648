package dev.strata.cli;

import dev.strata.cli.command.StrataCommand;
import dev.strata.core.repo.HostIdentity;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command line builds only the command its arguments name; anything else (help, a mistyped name, no
 * command, an option it cannot place) gets every command, so help and errors read as before.
 */
class CommandChoiceTest {
    /** The names of the commands chosen for these arguments. */
    private static List<String> choose(String... args) {
        CommandLine root = new CommandLine(StrataCommand.class);
        return CommandChoice.forArguments(root.getCommandSpec(), args).stream()
                .map(c -> c.getAnnotation(CommandLine.Command.class).name()).toList();
    }

    private static final List<String> ALL = StrataCommand.COMMANDS.stream()
            .map(c -> c.getAnnotation(CommandLine.Command.class).name()).toList();

    @Test
    void theNamedCommand_alone() {
        assertThat(choose("snapshots")).containsExactly("snapshots");
        assertThat(choose("sync", "run", "--listen", "127.0.0.1:1")).containsExactly("sync");
    }

    @Test
    void theValueOfARootOption_isNotTheCommand() {
        assertThat(choose("--repo", "backup", "snapshots")).containsExactly("snapshots");
        assertThat(choose("-r", "restore", "--json", "snapshots")).containsExactly("snapshots");
        assertThat(choose("--repo=backup", "--debug", "snapshots")).containsExactly("snapshots");
    }

    @Test
    void everyCommand_whenTheArgumentsNameNone() {
        assertThat(choose()).isEqualTo(ALL);
        assertThat(choose("--help")).isEqualTo(ALL);
        assertThat(choose("help", "snapshots")).isEqualTo(ALL);
        assertThat(choose("snapshot")).isEqualTo(ALL);
        assertThat(choose("--no-such-option", "snapshots")).isEqualTo(ALL);
        assertThat(choose("--", "snapshots")).isEqualTo(ALL);
    }

    @Test
    void aMistypedCommand_isAUsageError_andTheNamedOneHasItsHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true), null, false, Clock.systemUTC(), HostIdentity.current(), CliRunner.TEST_KDF);
        assertThat(Cli.run(new String[] {"snapshot"}, ctx)).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'snapshot'").contains("Try 'strata --help'");
        out.reset();
        assertThat(Cli.run(new String[] {"--repo", "backup", "snapshots", "--help"}, ctx)).isZero();
        assertThat(out.toString()).contains("Usage: strata snapshots").contains("Examples:");
    }
}
