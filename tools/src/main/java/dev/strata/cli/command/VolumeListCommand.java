package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.volume.VolumeCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata volume list}: the repository's volumes. */
@Command(name = "list", description = "List the volumes of the repository.")
final class VolumeListCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    VolumeListCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            List<VolumeCatalog.Entry> volumes = VolumeAccess.catalog(ctx, r).list();
            if (output.json) {
                var arr = Json.MAPPER.createArrayNode();
                for (VolumeCatalog.Entry e : volumes) {
                    var n = arr.addObject();
                    n.put("volume", e.name());
                    n.put("id", e.record().volumeIdHex());
                    n.put("created", e.created().time().toString());
                    n.put("lastCheckpoint", e.latest().time().toString());
                    n.put("lastCheckpointId", e.latest().id().toString());
                }
                ctx.out().println(arr);
                return 0;
            }
            ctx.out().printf("%-24s  %-19s  %-19s  %s%n", "Volume", "Created", "Last checkpoint", "Checkpoint");
            ctx.out().println("-".repeat(80));
            for (VolumeCatalog.Entry e : volumes) {
                ctx.out().printf("%-24s  %-19s  %-19s  %s%n", e.name(), Times.local(e.created().time()),
                        Times.local(e.latest().time()), e.latest().shortId());
            }
            ctx.out().println("-".repeat(80));
            ctx.out().println(volumes.size() + " volume" + (volumes.size() == 1 ? "" : "s"));
            return 0;
        }
    }
}
