package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code strata volume info NAME}: a volume's checkpoints, settings and retention plan. */
@Command(name = "info", description = "Show a volume's settings, its retention plan and its last checkpoint.")
final class VolumeInfoCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    VolumeAccess volumes;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    VolumeInfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            VolumeCatalog.Entry e = VolumeAccess.catalog(ctx, r).require(name);
            VolumeSettings s = e.record().settings();
            if (output.json) {
                var n = e.record().toJson();
                n.put("created", e.created().time().toString());
                n.put("lastCheckpoint", e.latest().time().toString());
                n.put("lastCheckpointId", e.latest().id().toString());
                n.put("stateFolder", dev.strata.volume.StateFolders.of(volumes.stateRoot(ctx), e.record()).toString());
                ctx.out().println(n);
                return 0;
            }
            ctx.out().println("volume           " + e.name() + " (" + e.record().volumeIdHex() + ")");
            ctx.out().println("created          " + Times.local(e.created().time()));
            ctx.out().println("last checkpoint  " + Times.local(e.latest().time()) + " (" + e.latest().shortId() + ")");
            ctx.out().println("checkpoints      every " + text(s.checkpointEvery()) + " while it changes, and at unmount");
            ctx.out().println("versions kept    every version for " + text(s.retention().everyFor()) + ", then hourly for "
                    + text(s.retention().hourlyFor()) + ", daily for " + text(s.retention().dailyFor()) + ", weekly after");
            ctx.out().println("versions made    at each close of a changed file; of a file held open for writing, at an"
                    + " fsync at most every " + text(s.syncVersionEvery()));
            ctx.out().println("burst warning    " + s.burstChanges() + " files deleted or overwritten within "
                    + text(s.burstWindow()) + " (in the mount's log, with the command that undoes it)");
            ctx.out().println("local state      " + dev.strata.volume.StateFolders.of(volumes.stateRoot(ctx), e.record()));
            return 0;
        }
    }

    private static String text(Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        if (d.toMinutes() > 0 && d.toSeconds() % 60 == 0) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toSeconds() + " s";
    }
}
