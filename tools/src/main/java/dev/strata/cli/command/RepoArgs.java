package dev.strata.cli.command;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options every command that opens a repository shares. */
public final class RepoArgs {
    @Option(names = {"-r", "--repo"}, paramLabel = "PATH",
            description = "The repository (default: $STRATA_REPO, else ~/.local/share/strata/repository).")
    String repo;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE (default: $STRATA_PASSWORD_FILE, $STRATA_PASSWORD, or a prompt).")
    Path passwordFile;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the local index cache lives (default: $STRATA_CACHE_DIR, else ~/.cache/strata).")
    Path cacheDir;

    @Option(names = "--retry-lock", paramLabel = "DURATION", converter = WaitDuration.class,
            description = "If another process holds a conflicting lock, keep trying for up to DURATION (e.g. 30s, 5m, 1h30m) instead of failing at once.")
    Duration retryLock = Duration.ZERO;
}
