package dev.strata.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.List;

/**
 * Lets the repository and output options stand before the command name as well as after it:
 * {@code strata --repo R snapshots} is {@code strata snapshots --repo R}. The root command declares
 * them too; before the command runs, each one given there is handed to the option of the same name
 * of the command that runs, unless that command was given its own. An option the command does not
 * take is a usage error, as it would be after the command name. Stateless.
 */
final class GlobalOptions {
    private GlobalOptions() {
    }

    /** The execution strategy: hands the root's options down, then runs the last command as picocli does. */
    static int execute(ParseResult parsed) {
        if (parsed.subcommand() != null) {
            ParseResult leaf = parsed;
            while (leaf.subcommand() != null) {
                leaf = leaf.subcommand();
            }
            handDown(parsed.matchedOptions(), leaf);
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static void handDown(List<OptionSpec> given, ParseResult leaf) {
        for (OptionSpec option : given) {
            if (option.usageHelp() || option.versionHelp() || option.scopeType() == CommandLine.ScopeType.INHERIT) {
                continue; // --help and --version act on the root; inherited options (--debug) reach every command already
            }
            OptionSpec target = leaf.commandSpec().findOption(option.longestName());
            if (target == null) {
                throw new CommandLine.ParameterException(leaf.commandSpec().commandLine(), "option '" + option.longestName()
                        + "' does not apply to 'strata " + commandPath(leaf) + "'");
            }
            if (!leaf.hasMatchedOption(target)) {
                target.setValue(option.getValue());
            }
        }
    }

    private static String commandPath(ParseResult leaf) {
        String name = leaf.commandSpec().qualifiedName(" ");
        return name.startsWith("strata ") ? name.substring("strata ".length()) : name;
    }
}
