package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.LockRecord;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code strata unlock}: removes locks left by processes that are gone. */
@Command(name = "unlock", description = "Remove stale locks (left by crashed or killed processes).")
final class UnlockCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Option(names = "--remove-all", description = "Remove every lock, also live ones. Only when you know no other Strata uses the repository.")
    boolean removeAll;

    UnlockCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        int removed = 0;
        int kept = 0;
        try (Repository r = RepositoryAccess.open(ctx, repo, null)) {
            for (RepositoryLock.Held held : RepositoryLock.list(r.backend(), r.key())) {
                LockRecord rec = held.record();
                boolean stale = rec == null || rec.isStale(ctx.host().host(), ctx.clock().instant());
                if (stale || removeAll) {
                    r.backend().delete(held.name());
                    removed++;
                    if (!output.quiet) {
                        ctx.out().println("removed " + (rec == null ? "damaged lock " + held.name().name() : rec.describe()));
                    }
                } else {
                    kept++;
                    if (!output.quiet) {
                        ctx.out().println("kept live " + rec.describe());
                    }
                }
            }
        }
        if (!output.quiet) {
            ctx.out().println(removed + " lock(s) removed, " + kept + " live lock(s) kept");
        }
        return ExitCode.OK.code();
    }
}
