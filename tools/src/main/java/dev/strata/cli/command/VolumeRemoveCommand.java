package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.volume.StateFolders;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code strata volume remove NAME}: the volume goes; its checkpoints and history stay until forgotten. */
@Command(name = "remove", description = {"Remove a volume. A last checkpoint keeps what it held;",
        "its checkpoints (snapshots of source volume-NAME) and history stay until 'strata forget' removes them."})
final class VolumeRemoveCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    VolumeAccess volumes;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    VolumeRemoveCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            VolumeCatalog catalog = VolumeAccess.catalog(ctx, r);
            VolumeCatalog.Entry entry = catalog.require(name);
            // Opening takes the volume's lock (a mounted volume is refused) and checkpoints what the local state holds.
            try (VolumeHome home = volumes.open(ctx, r, name)) {
                home.checkpoint();
            }
            entry = catalog.require(name);
            catalog.remove(entry);
            Path state = StateFolders.of(volumes.stateRoot(ctx), entry.record());
            deleteTree(state);
            if (!output.quiet) {
                ctx.out().println("removed volume " + name + "; its history stays in snapshots of source "
                        + dev.strata.volume.VolumeNames.source(name) + " until forgotten");
            }
            return 0;
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
