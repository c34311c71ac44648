package dev.strata.cli.command;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options every command that opens a repository shares. */
public final class RepoArgs {
    @Option(names = {"-r", "--repo"}, paramLabel = "PATH|s3:URL",
            description = "The repository: a folder, or s3:https://HOST[:PORT]/BUCKET[/PREFIX] (default: $STRATA_REPO, else ~/.local/share/strata/repository).")
    String repo;

    @Option(names = "--s3-ca", paramLabel = "FILE",
            description = "S3: trust the certificate authorities in this PEM file instead of the system's (default: $STRATA_S3_CA, else $AWS_CA_BUNDLE).")
    Path s3Ca;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "S3: the region to sign requests for (default: $STRATA_S3_REGION, $AWS_REGION, the profile's, the AWS host's, else us-east-1).")
    String s3Region;

    @Option(names = "--s3-addressing", paramLabel = "auto|path|virtual",
            description = "S3: the bucket in the path or in the host name (default: $STRATA_S3_ADDRESSING, else auto: virtual-host on AWS, path elsewhere).")
    String s3Addressing;

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
