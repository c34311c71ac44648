package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.BackupResult;
import dev.strata.snapshot.backup.LocalSourceFs;
import dev.strata.volume.VolumeHome;
import dev.strata.volume.VolumeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code strata volume import NAME --from DIR}: a new volume filled from a folder. The folder is
 * saved as a backup is (so it deduplicates against everything stored, with all its metadata), the
 * volume takes that tree, and the interim backup record is dropped once the volume's checkpoint holds it.
 */
@Command(name = "import", description = "Create a volume filled from a folder, deduplicated against everything already stored.")
final class VolumeImportCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    VolumeAccess volumes;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--from", paramLabel = "DIR", required = true, description = "The folder to fill the volume with.")
    Path from;

    VolumeImportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Path source = from.toAbsolutePath().normalize();
        if (!Files.isDirectory(source)) {
            throw new UserFacingException(ExitCode.USAGE, "not a folder: " + source);
        }
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            VolumeAccess.catalog(ctx, r).create(name, VolumeSettings.DEFAULT);
            BackupResult saved = new Backup(r, new LocalSourceFs()).run(BackupRequest.of(List.of(source))
                    .withTags(List.of("volume-import")), new BackupCounters(), dev.strata.snapshot.backup.BackupProgress.NONE);
            for (var w : saved.warnings()) {
                ctx.err().println("strata: warning: " + w);
            }
            Snapshot backup = saved.snapshot();
            Node folder = TreePaths.find(new TreeStore(r.store()), backup.tree(), source.toString())
                    .orElseThrow(() -> new UserFacingException(ExitCode.FAILURE, "the saved folder is missing from its backup"));
            Snapshot checkpoint;
            try (VolumeHome home = volumes.open(ctx, r, name)) {
                checkpoint = home.importFolder(folder);
            }
            new Snapshots(r).delete(backup.id());
            if (!output.quiet) {
                ctx.out().printf("volume %s filled from %s: %,d files, %s new data (checkpoint %s)%n", name, source,
                        saved.counters().filesDone(), Sizes.human(backup.summary().bytesAdded()), checkpoint.shortId());
            }
            return saved.warnings().isEmpty() ? 0 : ExitCode.INCOMPLETE.code();
        }
    }
}
