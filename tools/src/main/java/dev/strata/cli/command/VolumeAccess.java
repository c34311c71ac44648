package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryLocation;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.volume.StateFolders;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeHome;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
                line -> ctx.err().println(Instant.now() + " strata volume " + name + ": " + line), false, "");
    }

    /**
     * The options a {@code strata volume} command needs to reach the volumes of the repository at
     * {@code repo} with their state under {@code stateRoot}, as a shell reads them: {@code --repo} and
     * {@code --state-dir} where they are not the defaults, so that a command printed in a mount's log
     * runs as it is, whatever the environment of the shell that runs it.
     */
    static String commandOptions(Map<String, String> env, String repo, Path stateRoot) {
        List<String> options = new ArrayList<>();
        // An s3: location is never the default, which is a folder.
        if (repo.startsWith("s3:") || !same(Path.of(repo), RepositoryLocation.defaultLocation(env))) {
            options.add("--repo " + ShellWords.quote(repo));
        }
        Map<String, String> withoutOverride = new HashMap<>(env);
        withoutOverride.remove("STRATA_STATE_DIR");
        if (!same(stateRoot, StateFolders.root(null, withoutOverride))) {
            options.add("--state-dir " + ShellWords.quote(stateRoot.toString()));
        }
        return String.join(" ", options);
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
