package dev.strata.cli.jobs;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.nio.file.Path;
import java.util.List;

/**
 * A configuration file that cannot be used: every problem found, each with its line. The message is
 * the first problem on one line, with a pointer to {@code strata config check} when there are more.
 */
public final class ConfigException extends UserFacingException {
    private final transient Path file;
    private final transient List<ConfigProblem> problems;

    ConfigException(Path file, List<ConfigProblem> problems) {
        super(ExitCode.USAGE, describe(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Each problem as {@code FILE:LINE: message}, the way compilers say it. */
    public List<String> lines() {
        return problems.stream().map(p -> line(file, p)).toList();
    }

    private static String line(Path file, ConfigProblem p) {
        return file + ":" + p.line() + ": " + p.message();
    }

    private static String describe(Path file, List<ConfigProblem> problems) {
        String first = line(file, problems.get(0));
        return problems.size() == 1 ? first
                : first + " (and " + (problems.size() - 1) + " more: 'strata config check' lists them)";
    }
}
