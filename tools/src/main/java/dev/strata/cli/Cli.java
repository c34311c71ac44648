package dev.strata.cli;

import dev.strata.cli.command.StrataCommand;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.error.StorageAccessException;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.CacheLocation;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Runs one {@code strata} command line and returns its exit code, printing to the context's
 * streams; nothing here calls {@link System#exit}, so tests run commands in process.
 */
public final class Cli {
    private Cli() {
    }

    public static int run(String[] args, CliContext ctx) {
        CrashReports.announceNew(CacheLocation.resolve(cacheDirArgument(args), ctx.env()), ctx.err());
        CommandLine cl = commandLine(ctx, args);
        return cl.execute(args);
    }

    /** The value of {@code --cache-dir}, read before parsing so that even a usage error can report a crash. */
    private static Path cacheDirArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cache-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--cache-dir=")) {
                return Path.of(args[i].substring("--cache-dir=".length()));
            }
        }
        return null;
    }

    /** The whole command line, every command in it: for help, man pages and completion scripts. */
    static CommandLine commandLine(CliContext ctx) {
        return commandLine(ctx, (String[]) null);
    }

    /**
     * The command line for these arguments: only the command they name, when they name one (a start
     * that builds one command instead of all of them), else all of them, so that help, suggestions
     * for a mistyped name and every error read as they would with the whole command line.
     */
    static CommandLine commandLine(CliContext ctx, String[] args) {
        CommandLine cl = new CommandLine(StrataCommand.class, new ContextFactory(ctx));
        for (Class<?> command : args == null ? StrataCommand.COMMANDS : CommandChoice.forArguments(cl.getCommandSpec(), args)) {
            cl.addSubcommand(command);
        }
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        addHelpOptions(cl);
        CommandExamples.addTo(cl);
        cl.setExecutionStrategy(GlobalOptions::execute);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, ctx, debugRequested(parseResult)));
        cl.setParameterExceptionHandler((e, given) -> {
            ctx.err().println("strata: " + e.getMessage());
            ctx.err().println("Try 'strata " + commandPath(e.getCommandLine()) + "--help' for usage.");
            return ExitCode.USAGE.code();
        });
        return cl;
    }

    /**
     * Gives every command below the root a -h/--help of its own. Done here rather than with an
     * inherited option because picocli's help command declares -h itself, which would clash.
     */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (sub.getCommand() instanceof CommandLine.HelpCommand || spec.findOption("--help") != null) {
                continue; // the help command, or a command reached again through an alias
            }
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
            addHelpOptions(sub);
        }
    }

    /** The command as typed, with a trailing space unless it is the root: "strata backup ". */
    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        return name.startsWith("strata ") ? name.substring("strata ".length()) + " " : "";
    }

    /** Whether --debug was given, before or after the command name (it is inherited by every command). */
    private static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Prints an error the way a person wants to read it and picks the exit code. */
    static int report(Throwable e, CliContext ctx, boolean debug) {
        if (debug) {
            e.printStackTrace(ctx.err());
        }
        StorageAccessException storage = storageFailure(e);
        if (storage != null) {
            // Wrapped on its way up ("storing packs failed: ..."), but it is the whole story.
            ctx.err().println("strata: " + storage.getMessage());
            return storage.exitCode().code();
        }
        if (outOfMemory(e)) {
            // The launcher's heap ceiling is a budget (README, "Memory"), so this is what raises it.
            ctx.err().println("strata: out of memory: the Java heap is full (a folder with very many entries needs more);"
                    + " run again with a larger heap, e.g. STRATA_JAVA_OPTS=-Xmx1g");
            return ExitCode.FAILURE.code();
        }
        if (e instanceof UserFacingException) {
            ctx.err().println("strata: " + e.getMessage());
            return ((UserFacingException) e).exitCode().code();
        }
        if (e instanceof CorruptDataException || e instanceof MissingChunkException) {
            ctx.err().println("strata: damaged repository: " + e.getMessage());
            return ExitCode.CORRUPT.code();
        }
        if (e instanceof NoSuchFileException) {
            ctx.err().println("strata: no such file: " + e.getMessage());
            return ExitCode.FAILURE.code();
        }
        if (e instanceof AccessDeniedException) {
            ctx.err().println("strata: permission denied: " + e.getMessage());
            return ExitCode.FAILURE.code();
        }
        if (e instanceof IOException) {
            ctx.err().println("strata: " + describe(e));
            return ExitCode.FAILURE.code();
        }
        ctx.err().println("strata: internal error: " + describe(e));
        if (!debug) {
            ctx.err().println("strata: run again with --debug for details, and please report it");
        }
        return ExitCode.FAILURE.code();
    }

    private static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static StorageAccessException storageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageAccessException) {
                return (StorageAccessException) t;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        Throwable c = e.getCause();
        while (c != null && c != e) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    /** Creates commands, handing those that want it the context. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext ctx;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }
}
