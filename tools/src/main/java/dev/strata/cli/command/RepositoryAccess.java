package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.backend.Backend;
import dev.strata.core.backend.local.LocalBackend;
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

    static Path location(CliContext ctx, RepoArgs args) {
        return RepositoryLocation.resolve(args.repo, ctx.env());
    }

    static Backend backend(CliContext ctx, RepoArgs args) {
        return new LocalBackend(location(ctx, args));
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
        Backend backend = backend(ctx, args);
        try {
            Repository.readPublicConfig(backend);
            char[] password = Passwords.existing(ctx, args.passwordFile);
            OpenOptions options = tune.apply(OpenOptions.of(cacheRoot(ctx, args), mode).withKdf(ctx.kdf())
                    .withLockWait(args.retryLock));
            Repository repo = Repository.open(backend, password, options, ctx.clock(), ctx.host());
            // Said once, by the command that found it: the cache rebuilt, a pack salvaged.
            repo.openNotices().forEach(n -> ctx.err().println("strata: " + n));
            return repo;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }
}
