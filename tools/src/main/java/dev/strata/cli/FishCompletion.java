package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a fish completion script from the picocli model: the commands (nested ones after their
 * parent) and each command's options with their descriptions. A small fish function finds the
 * command typed so far ("image restore", not "restore"), since names repeat at different levels.
 * picocli generates bash completion only. Stateless.
 */
final class FishCompletion {
    private FishCompletion() {
    }

    static void write(CommandLine root, PrintWriter out) {
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        out.println("# fish completion for strata, generated from its command model.");
        out.println("set -g __strata_commands " + String.join(" ", paths.stream().filter(p -> !p.isEmpty()).map(FishCompletion::quoted).toList()));
        out.println("""
                # The command typed so far ("" before any, "image restore"): the longest run of words that names one.
                function __strata_command
                    set -l path ""
                    for word in (commandline -opc)[2..-1]
                        set -l next (string trim -- "$path $word")
                        if contains -- $next $__strata_commands
                            set path $next
                        end
                    end
                    echo $path
                end

                function __strata_is
                    set -l typed (__strata_command)
                    test "$typed" = "$argv[1]"
                end

                complete -c strata -f""");
        commands(root, "", out);
        out.flush();
    }

    private static void collect(CommandLine cl, String path, List<String> out) {
        out.add(path);
        for (Map.Entry<String, CommandLine> e : subcommands(cl)) {
            collect(e.getValue(), (path.isEmpty() ? "" : path + " ") + e.getKey(), out);
        }
    }

    private static void commands(CommandLine cl, String path, PrintWriter out) {
        CommandSpec spec = cl.getCommandSpec();
        String condition = "__strata_is " + quoted(path);
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder line = new StringBuilder("complete -c strata -n " + quoted(condition));
            for (String n : o.names()) {
                line.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
            }
            if (o.arity().max() > 0) {
                line.append(" -r");
                if (o.type() == java.nio.file.Path.class) {
                    line.append(" -F");
                }
            }
            line.append(" -d ").append(quoted(first(o.description())));
            out.println(line);
        }
        for (Map.Entry<String, CommandLine> e : subcommands(cl)) {
            out.println("complete -c strata -n " + quoted(condition) + " -a " + e.getKey() + " -d "
                    + quoted(first(e.getValue().getCommandSpec().usageMessage().description())));
        }
        for (Map.Entry<String, CommandLine> e : subcommands(cl)) {
            commands(e.getValue(), (path.isEmpty() ? "" : path + " ") + e.getKey(), out);
        }
    }

    /** The subcommands under their own names: no aliases, no help command. */
    private static List<Map.Entry<String, CommandLine>> subcommands(CommandLine cl) {
        return cl.getSubcommands().entrySet().stream()
                .filter(e -> e.getKey().equals(e.getValue().getCommandSpec().name())
                        && !(e.getValue().getCommand() instanceof CommandLine.HelpCommand))
                .toList();
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? "" : lines[0];
    }

    private static String quoted(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
