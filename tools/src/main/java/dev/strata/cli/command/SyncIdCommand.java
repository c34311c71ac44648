package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code strata sync id}: prints this device's ID on one line, making the identity on first use. */
@Command(name = "id", description = {"Print this device's ID, for its peers to add (made on first use and kept in",
        "$XDG_CONFIG_HOME/strata, else ~/.config/strata)."})
final class SyncIdCommand implements Callable<Integer> {
    private final CliContext ctx;

    SyncIdCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ctx.out().println(SyncIdentities.loadOrCreate(ctx).id());
        return 0;
    }
}
