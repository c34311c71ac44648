package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Writes a fish completion script from the picocli model: the commands (nested ones after their
 * parent) and each command's options with their descriptions. picocli generates bash completion
 * only. Stateless.
 */
final class FishCompletion {
    private FishCompletion() {
    }

    static void write(CommandLine root, PrintWriter out) {
        out.println("# fish completion for strata, generated from its command model.");
        out.println("complete -c strata -f");
        commands(root, "", out);
        out.flush();
    }

    private static void commands(CommandLine cl, String path, PrintWriter out) {
        CommandSpec spec = cl.getCommandSpec();
        // Where this command's options and subcommands apply: after its path, and before any of its subcommands.
        String condition = path.isEmpty() ? "__fish_use_subcommand" : "__fish_seen_subcommand_from " + last(path);
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder line = new StringBuilder("complete -c strata -n '" + condition + "'");
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
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (!e.getKey().equals(sub.name()) || e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            out.println("complete -c strata -n '" + condition + "' -a " + e.getKey() + " -d "
                    + quoted(first(sub.usageMessage().description())));
        }
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals(e.getValue().getCommandSpec().name()) && !(e.getValue().getCommand() instanceof CommandLine.HelpCommand)) {
                commands(e.getValue(), (path.isEmpty() ? "" : path + " ") + e.getKey(), out);
            }
        }
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf(' ') + 1);
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? "" : lines[0];
    }

    private static String quoted(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
