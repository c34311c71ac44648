package dev.strata.cli;

import picocli.AutoComplete;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes, from the command model, what an installation puts beside the {@code strata} command: one
 * man page per command ({@code man/man1/}) and completion scripts for bash (picocli's), zsh (the
 * bash one through zsh's bashcompinit) and fish ({@code completion/}). {@code tools/install} runs it
 * from the jar it just built, so the pages and scripts match that build. Confined to one thread.
 */
public final class InstallFiles {
    private InstallFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: InstallFiles OUTPUT-DIR VERSION");
            System.exit(2);
        }
        write(Path.of(args[0]), args[1]);
    }

    static void write(Path out, String version) throws IOException {
        CommandLine root = Cli.commandLine(CliContext.system());
        Path man = Files.createDirectories(out.resolve("man/man1"));
        pages(root, man, version);
        Path completion = Files.createDirectories(out.resolve("completion"));
        String bash = AutoComplete.bash("strata", root);
        Files.writeString(completion.resolve("strata.bash"), bash, StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("_strata"), "#compdef strata\n"
                + "# zsh completion for strata: its bash completion (generated from the command model) through\n"
                + "# zsh's bashcompinit. The first completion defines the functions, then completes.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + "# bash's compopt (file name handling) has no zsh counterpart in bashcompinit: a no-op here.\n"
                + "(( $+functions[compopt] )) || compopt() { return 0; }\n"
                + bash.replace("complete -F _complete_strata -o default strata strata.sh strata.bash",
                        "complete -F _complete_strata -o default strata")
                + "\n_bash_complete -F _complete_strata -o default\n", StandardCharsets.UTF_8);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(completion.resolve("strata.fish"), StandardCharsets.UTF_8))) {
            FishCompletion.write(root, w);
        }
    }

    private static void pages(CommandLine cl, Path dir, String version) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve(ManPage.fileName(cl.getCommandSpec())),
                StandardCharsets.UTF_8))) {
            ManPage.write(cl.getCommandSpec(), version, w);
        }
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals(e.getValue().getCommandSpec().name()) && !(e.getValue().getCommand() instanceof CommandLine.HelpCommand)) {
                pages(e.getValue(), dir, version);
            }
        }
    }
}
