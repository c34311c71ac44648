package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where passwords come from: a file, the environment, or the terminal, in that order. A missing
 * source is a clear error, never a hang on a closed stdin.
 */
final class Passwords {
    private Passwords() {
    }

    /** The password that opens an existing repository. */
    static char[] existing(CliContext ctx, Path file) throws IOException {
        return existing(ctx, file, "--password-file", "STRATA_", "password: ");
    }

    /**
     * The password that opens an existing repository, from {@code file}, else the variables
     * {@code <envPrefix>PASSWORD_FILE} and {@code <envPrefix>PASSWORD}, else asked with {@code prompt};
     * {@code option} names the file option in the error when none is given.
     */
    static char[] existing(CliContext ctx, Path file, String option, String envPrefix, String prompt) throws IOException {
        if (file != null) {
            return fromFile(file);
        }
        String envFile = ctx.env().get(envPrefix + "PASSWORD_FILE");
        if (envFile != null && !envFile.isEmpty()) {
            return fromFile(Path.of(envFile));
        }
        String env = ctx.env().get(envPrefix + "PASSWORD");
        if (env != null) {
            return env.toCharArray();
        }
        if (ctx.prompt().available()) {
            char[] pw = ctx.prompt().read(prompt);
            if (pw == null) {
                throw new UserFacingException(ExitCode.USAGE, "no password entered");
            }
            return pw;
        }
        throw new UserFacingException(ExitCode.USAGE, "no password given: use " + option + " FILE, "
                + "$" + envPrefix + "PASSWORD_FILE or $" + envPrefix + "PASSWORD, or run on a terminal to be asked");
    }

    /**
     * A new password (for init, key add, key passwd): from {@code file} if given, else from the
     * environment when {@code allowEnv} (init uses the same password source as every other command),
     * else asked twice on the terminal.
     */
    static char[] fresh(CliContext ctx, Path file, boolean allowEnv, String what) throws IOException {
        if (file != null) {
            return fromFile(file);
        }
        if (allowEnv) {
            String envFile = ctx.env().get("STRATA_PASSWORD_FILE");
            if (envFile != null && !envFile.isEmpty()) {
                return fromFile(Path.of(envFile));
            }
            String env = ctx.env().get("STRATA_PASSWORD");
            if (env != null) {
                return env.toCharArray();
            }
        }
        if (!ctx.prompt().available()) {
            throw new UserFacingException(ExitCode.USAGE, "no " + what + " given: use a password file option, "
                    + (allowEnv ? "$STRATA_PASSWORD, " : "") + "or run on a terminal to be asked");
        }
        char[] first = ctx.prompt().read("enter " + what + ": ");
        char[] second = ctx.prompt().read("repeat " + what + ": ");
        if (first == null || second == null) {
            throw new UserFacingException(ExitCode.USAGE, "no " + what + " entered");
        }
        if (!Arrays.equals(first, second)) {
            throw new UserFacingException(ExitCode.USAGE, "the two passwords differ; nothing was changed");
        }
        return first;
    }

    static char[] fromFile(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCode.USAGE, "password file " + file + " does not exist");
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "password file " + file + " is empty");
        }
        return lines.get(0).toCharArray();
    }
}
