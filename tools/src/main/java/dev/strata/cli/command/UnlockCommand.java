package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.Lease;
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
    @Option(names = "--lease", paramLabel = "VOLUME", description = {"Remove the lease of a live volume whose local state is lost for good, so that prune stops waiting for it.",
            "Only for a volume no process holds: changes it made after its last checkpoint may then be pruned away."})
    String lease;

    UnlockCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        int removed = 0;
        int kept = 0;
        try (Repository r = RepositoryAccess.open(ctx, repo, null)) {
            if (lease != null) {
                return removeLease(r);
            }
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

    private int removeLease(Repository r) throws Exception {
        String owner = "volume " + lease;
        for (Lease l : Lease.list(r.backend(), r.key())) {
            if (l.owner().equals(owner) || l.id().equals(lease)) {
                l.delete(r.backend());
                if (!output.quiet) {
                    ctx.out().println("removed the lease of " + l.owner() + " (host " + l.host() + ", updated " + l.updated() + ")");
                }
                return ExitCode.OK.code();
            }
        }
        throw new UserFacingException(ExitCode.NOT_FOUND, "no lease of volume '" + lease + "' in " + r.location());
    }
}
