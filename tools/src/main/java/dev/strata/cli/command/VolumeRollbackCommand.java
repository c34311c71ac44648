package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.volume.VolumeHome;
import dev.strata.volume.history.Rollback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/** {@code strata volume rollback NAME --to TIME}: the whole volume back as it was, as new versions. */
@Command(name = "rollback", description = {"Put the whole volume back as it was at TIME, as new versions:",
        "files that changed get their old content, deleted ones come back, newer ones go (into the history).",
        "Nothing is lost; a rollback can itself be rolled back. The volume must not be mounted."})
final class VolumeRollbackCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    VolumeAccess volumes;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--to", paramLabel = "TIME", required = true,
            description = "2026-12-06T09:30:00Z, '2026-12-06 09:30' (local), 2026-12-06T09-30-00 (as the mount names it) or '2h ago'.")
    String to;

    VolumeRollbackCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Instant moment = MomentArg.parse(to, ctx.clock().instant(), ZoneId.systemDefault());
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND);
             VolumeHome home = volumes.open(ctx, r, name)) {
            Rollback.Result result = home.rollback(moment);
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("volume", name);
                n.put("to", moment.toString());
                n.put("filesRestored", result.filesRestored());
                n.put("entriesRemoved", result.entriesRemoved());
                ctx.out().println(n);
            } else if (!output.quiet) {
                ctx.out().printf("volume %s is as it was at %s: %,d files restored, %,d newer entries removed "
                        + "(all of it stays in versions/)%n", name, Times.local(moment), result.filesRestored(),
                        result.entriesRemoved());
            }
            return 0;
        }
    }
}
