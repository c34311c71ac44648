package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.forget.DurationText;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeSettings;
import dev.strata.volume.history.VersionRetention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code strata volume create NAME}: a new, empty volume. */
@Command(name = "create", description = "Create an empty volume; 'strata mount' shows it read-write under volumes/NAME.")
final class VolumeCreateCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '.', '_' or '-'.")
    String name;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS",
            description = "Checkpoint a changed volume into the repository this often (default: ${DEFAULT-VALUE}).")
    long checkpointSeconds = VolumeSettings.DEFAULT.checkpointEvery().toSeconds();

    @Option(names = "--burst-files", paramLabel = "N",
            description = "Warn in the mount's log, with the command that undoes it, when N files are deleted or "
                    + "overwritten within --burst-window (default: ${DEFAULT-VALUE}).")
    int burstFiles = VolumeSettings.DEFAULT.burstChanges();

    @Option(names = "--burst-window", paramLabel = "SECONDS",
            description = "See --burst-files (default: ${DEFAULT-VALUE}).")
    long burstSeconds = VolumeSettings.DEFAULT.burstWindow().toSeconds();

    @Option(names = "--sync-version-every", paramLabel = "SECONDS",
            description = "A file held open for writing this long gets a version at its next fsync, and again at most "
                    + "this often; every file gets one when closed (default: ${DEFAULT-VALUE}).")
    long syncVersionSeconds = VolumeSettings.DEFAULT.syncVersionEvery().toSeconds();

    @Option(names = "--keep-every", paramLabel = "DURATION",
            description = "Keep every version of a file this long, e.g. 1h, 2d (default: 1h).")
    String keepEvery;

    @Option(names = "--keep-hourly", paramLabel = "DURATION",
            description = "Then the newest version of each hour until this age (default: 1d).")
    String keepHourly;

    @Option(names = "--keep-daily", paramLabel = "DURATION",
            description = "Then the newest of each day until this age; older, the newest of each week (default: 30d).")
    String keepDaily;

    @Option(names = "--shareable",
            description = "Give the volume keys of its own, so that it can be shared with other devices (docs/sync.md); "
                    + "its data then no longer deduplicates against the rest of the repository.")
    boolean shareable;

    VolumeCreateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The retention plan from the options given, the default for the others. */
    private VersionRetention retention() {
        VersionRetention d = VolumeSettings.DEFAULT.retention();
        return new VersionRetention(keepEvery == null ? d.everyFor() : DurationText.parse(keepEvery),
                keepHourly == null ? d.hourlyFor() : DurationText.parse(keepHourly),
                keepDaily == null ? d.dailyFor() : DurationText.parse(keepDaily));
    }

    @Override
    public Integer call() throws Exception {
        VolumeSettings settings;
        try {
            settings = VolumeSettings.DEFAULT.withCheckpointEvery(Duration.ofSeconds(checkpointSeconds))
                    .withBurst(burstFiles, Duration.ofSeconds(burstSeconds))
                    .withSyncVersionEvery(Duration.ofSeconds(syncVersionSeconds))
                    .withRetention(retention());
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, e.getMessage());
        }
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            VolumeCatalog.Entry e = VolumeAccess.catalog(ctx, r).create(name, settings, shareable ? r.key() : null);
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("volume", e.name());
                n.put("id", e.record().volumeIdHex());
                n.put("checkpoint", e.latest().id().toString());
                n.put("shareable", e.record().keys() != null);
                ctx.out().println(n);
            } else if (!output.quiet) {
                ctx.out().println("created " + (shareable ? "shareable " : "") + "volume " + e.name() + "; 'strata mount --volume " + e.name() + " DIR' mounts it");
            }
            return 0;
        }
    }
}
