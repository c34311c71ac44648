package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.volume.VolumeHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code strata volume checkpoint NAME}: writes a checkpoint of a volume that is not mounted. */
@Command(name = "checkpoint", description = {"Write a checkpoint of the volume into the repository now.",
        "A mounted volume checkpoints itself while it changes and at unmount."})
final class VolumeCheckpointCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    VolumeAccess volumes;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    VolumeCheckpointCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND);
             VolumeHome home = volumes.open(ctx, r, name)) {
            Snapshot s = home.checkpoint();
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("volume", name);
                n.put("checkpoint", s.id().toString());
                ctx.out().println(n);
            } else if (!output.quiet) {
                ctx.out().println("checkpoint " + s.shortId() + " of volume " + name);
            }
            return 0;
        }
    }
}
