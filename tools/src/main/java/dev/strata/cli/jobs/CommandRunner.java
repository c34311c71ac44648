package dev.strata.cli.jobs;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@code strata} command line (backup, forget, prune, check) and returns its exit code; the
 * CLI hands in its own {@code Cli.run}, so a job does exactly what the commands do. Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface CommandRunner {
    int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err);
}
