package dev.strata.cli;

import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a command takes from its surroundings: environment variables, standard streams, the
 * terminal, the clock, the host. Tests build their own; {@link #system()} is the real process.
 *
 * @param kdf Argon2id cost for new key files, or null to calibrate (tests pass a cheap one)
 */
public record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                         PasswordPrompt prompt, boolean terminal, Clock clock, HostIdentity host, KdfParams kdf) {

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.out, System.err, PasswordPrompt.console(),
                System.console() != null, Clock.systemUTC(), HostIdentity.current(), null);
    }

    public CliContext withEnv(Map<String, String> newEnv) {
        return new CliContext(newEnv, in, out, err, prompt, terminal, clock, host, kdf);
    }
}
