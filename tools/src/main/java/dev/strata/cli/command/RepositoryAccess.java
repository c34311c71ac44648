package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.backend.Backend;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.backend.s3.S3Backend;
import dev.strata.core.backend.s3.S3Location;
import dev.strata.core.backend.s3.S3Settings;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.CacheLocation;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryLocation;

import java.io.IOException;
import java.nio.file.Path;

/** Turns the repository options of a command line into a backend and an open repository. */
final class RepositoryAccess {
    private RepositoryAccess() {
    }

    /** The repository named by {@code --repo} or {@code $STRATA_REPO}: an {@code s3:} URL as given, else an absolute folder. */
    static String location(CliContext ctx, RepoArgs args) throws UserFacingException {
        String named = args.repo != null && !args.repo.isBlank() ? args.repo : ctx.env().get("STRATA_REPO");
        if (S3Location.isS3(named)) {
            return S3Location.parse(named).toString();
        }
        return RepositoryLocation.resolve(args.repo, ctx.env()).toString();
    }

    /** The backend of the location: an S3 bucket for an {@code s3:} URL, else a local folder. */
    static Backend backend(CliContext ctx, RepoArgs args) throws UserFacingException {
        String location = location(ctx, args);
        if (!S3Location.isS3(location)) {
            return new LocalBackend(Path.of(location));
        }
        S3Settings settings = S3Settings.of(S3Location.parse(location), ctx.env());
        if (args.s3Ca != null) {
            settings = settings.withCaFile(args.s3Ca.toAbsolutePath());
        }
        if (args.s3Region != null && !args.s3Region.isBlank()) {
            settings = settings.withRegion(args.s3Region);
        }
        if (args.s3Addressing != null) {
            settings = settings.withAddressing(S3Settings.Addressing.parse(args.s3Addressing));
        }
        return new S3Backend(settings);
    }

    /** The S3 options of {@code args} as command-line arguments, for a child process that opens the same repository. */
    static java.util.List<String> s3Options(RepoArgs args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (args.s3Ca != null) {
            out.addAll(java.util.List.of("--s3-ca", args.s3Ca.toAbsolutePath().toString()));
        }
        if (args.s3Region != null) {
            out.addAll(java.util.List.of("--s3-region", args.s3Region));
        }
        if (args.s3Addressing != null) {
            out.addAll(java.util.List.of("--s3-addressing", args.s3Addressing));
        }
        return out;
    }

    static Path cacheRoot(CliContext ctx, RepoArgs args) {
        return CacheLocation.resolve(args.cacheDir, ctx.env());
    }

    /** Opens the repository, asking for the password only once the location is known to hold one. */
    static Repository open(CliContext ctx, RepoArgs args, LockMode mode) throws IOException {
        return open(ctx, args, mode, 0);
    }

    static Repository open(CliContext ctx, RepoArgs args, LockMode mode, int workers) throws IOException {
        return open(ctx, args, mode, o -> o.withWorkers(workers));
    }

    /** Opens with options adjusted by {@code tune} (worker count, chunk cache size). */
    static Repository open(CliContext ctx, RepoArgs args, LockMode mode, java.util.function.UnaryOperator<OpenOptions> tune)
            throws IOException {
        return open(ctx, args, mode, tune, () -> Passwords.existing(ctx, args.passwordFile));
    }

    /** Where a command gets the password of a repository, asked only once the repository is found. */
    interface PasswordSource {
        char[] password() throws IOException;
    }

    /** Opens with options adjusted by {@code tune} and the password from {@code passwords}. */
    static Repository open(CliContext ctx, RepoArgs args, LockMode mode, java.util.function.UnaryOperator<OpenOptions> tune,
                           PasswordSource passwords) throws IOException {
        Backend backend = backend(ctx, args);
        try {
            dev.strata.core.repo.RepositoryConfig.Public config = Repository.readPublicConfig(backend);
            char[] password = passwords.password();
            OpenOptions options = tune.apply(OpenOptions.of(cacheRoot(ctx, args), mode).withKdf(ctx.kdf())
                    .withLockWait(args.retryLock));
            Repository repo = Repository.open(backend, config, password, options, ctx.clock(), ctx.host());
            // Said once, by the command that found it: the cache rebuilt, a pack salvaged.
            repo.openNotices().forEach(n -> ctx.err().println("strata: " + n));
            return repo;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }
}
