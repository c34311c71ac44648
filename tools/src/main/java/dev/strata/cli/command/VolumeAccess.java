package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.volume.StateFolders;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeHome;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** The option naming the volumes' local state folder, and opening volumes of a repository with it. */
public final class VolumeAccess {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where volumes keep their local state (default: $STRATA_STATE_DIR, else ~/.local/state/strata).")
    Path stateDir;

    Path stateRoot(CliContext ctx) {
        return StateFolders.root(stateDir, ctx.env());
    }

    static VolumeCatalog catalog(CliContext ctx, Repository r) {
        return new VolumeCatalog(new Snapshots(r), new TreeStore(r.store()), r.host(), ctx.clock());
    }

    /** Opens volume {@code name} in this process (locked against others), checkpointing only when asked and at close. */
    VolumeHome open(CliContext ctx, Repository r, String name) throws IOException {
        VolumeCatalog catalog = catalog(ctx, r);
        return VolumeHome.open(r, catalog, catalog.require(name), stateRoot(ctx), new TreeStore(r.store()), ctx.clock(),
                line -> ctx.err().println(Instant.now() + " strata volume " + name + ": " + line), false);
    }
}
