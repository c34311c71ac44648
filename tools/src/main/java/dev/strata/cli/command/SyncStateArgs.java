package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.volume.StateFolders;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The option naming where the sync process keeps its status and run lock ({@code <state>/sync}). */
public final class SyncStateArgs {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the sync process keeps its status (default: $STRATA_STATE_DIR, else $XDG_STATE_HOME/strata, else ~/.local/state/strata).")
    Path stateDir;

    Path syncState(CliContext ctx) {
        return StateFolders.root(stateDir, ctx.env()).resolve("sync");
    }
}
