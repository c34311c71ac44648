package dev.strata.cli;

import dev.strata.core.repo.HostIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every command's --help ends with examples, and every example is a command line strata accepts. */
class CommandExamplesTest {
    @TempDir
    Path tmp;

    @Test
    void everyCommand_hasExamplesInItsHelp() {
        CliRunner cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache"));
        List<String> without = new ArrayList<>();
        for (String path : commandPaths(Cli.commandLine(context()), "")) {
            List<String> words = new ArrayList<>(List.of(path.split(" ")));
            words.removeIf(String::isEmpty);
            words.add("--help");
            String help = cli.run(words.toArray(String[]::new)).out();
            if (!help.contains("Examples:\n  strata " + path)) {
                without.add(path.isEmpty() ? "(root)" : path);
            }
        }
        assertThat(without).as("commands whose --help has no examples").isEmpty();
    }

    @Test
    void everyExample_parses() {
        for (Map.Entry<String, List<String>> e : CommandExamples.EXAMPLES.entrySet()) {
            for (String example : e.getValue()) {
                String line = example.contains("| strata") ? example.substring(example.indexOf("| strata") + 2) : example;
                List<String> words = words(line);
                assertThat(words.get(0)).isEqualTo("strata");
                List<String> args = words.subList(1, words.size());
                assertThatCode(() -> Cli.commandLine(context()).parseArgs(args.toArray(String[]::new)))
                        .as(example).doesNotThrowAnyException();
                assertThat(String.join(" ", args.stream().filter(a -> !a.startsWith("-")).toList()) + " ")
                        .as("'" + example + "' runs " + e.getKey()).contains(e.getKey().isEmpty() ? "" : e.getKey() + " ");
            }
        }
    }

    /** Every command below {@code cl}, the help command left out, by path ("" for the root). */
    private static TreeSet<String> commandPaths(picocli.CommandLine cl, String path) {
        TreeSet<String> out = new TreeSet<>();
        out.add(path);
        for (Map.Entry<String, picocli.CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getValue().getCommand() instanceof picocli.CommandLine.HelpCommand
                    || !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // the help command, or an alias
            }
            out.addAll(commandPaths(sub.getValue(), (path.isEmpty() ? "" : path + " ") + sub.getKey()));
        }
        return out;
    }

    /** Shell words, single quotes kept together; stops at a redirection. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        int redirect = out.indexOf(">");
        return redirect < 0 ? out : out.subList(0, redirect);
    }

    private static CliContext context() {
        return new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), null, false, Clock.systemUTC(), HostIdentity.current(), CliRunner.TEST_KDF);
    }
}
