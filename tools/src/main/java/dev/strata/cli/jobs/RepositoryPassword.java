package dev.strata.cli.jobs;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.IOException;
import java.util.Map;

/** The password a repository's {@code password-command} prints: its first line. Stateless. */
public final class RepositoryPassword {
    private RepositoryPassword() {
    }

    public static String fromCommand(String command, Map<String, String> env) throws IOException, InterruptedException {
        Shell.Result r = Shell.run(command, env, null);
        if (r.exitCode() != 0) {
            throw new UserFacingException(ExitCode.USAGE, r.describe("password command"));
        }
        String first = r.stdout().lines().findFirst().orElse("");
        if (first.isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "password command printed no password");
        }
        return first;
    }
}
