package dev.strata.cli;

import dev.strata.cli.command.StrataCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Which commands a command line needs: the one its arguments name, found as picocli would find it
 * (the first argument that is neither an option of the root nor the value of one), or all of them
 * when the arguments name none, name help, or name something that is not a command (so help, the
 * suggestions for a mistyped name and the usage errors are those of the whole command line).
 * Stateless.
 */
final class CommandChoice {
    private CommandChoice() {
    }

    static List<Class<?>> forArguments(CommandSpec root, String[] args) {
        String word = commandWord(root, args);
        if (word != null) {
            for (Class<?> command : StrataCommand.COMMANDS) {
                if (command != CommandLine.HelpCommand.class && names(command).contains(word)) {
                    return List.of(command);
                }
            }
        }
        return StrataCommand.COMMANDS;
    }

    /** The first argument that is not an option of the root or its value; null if there is none or it is unclear. */
    private static String commandWord(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return arg;
            }
            if (arg.contains("=")) {
                continue; // --repo=R: the value is in the argument
            }
            OptionSpec option = root.findOption(arg);
            if (option == null) {
                return null; // unknown, or short options run together: let the whole command line say what it is
            }
            if (option.arity().max() > 0 && !option.type().equals(boolean.class) && !option.type().equals(Boolean.class)) {
                i++; // its value, which may look like a command name ('--repo backup')
            }
        }
        return null;
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        if (annotation == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }
}
