package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.identity.DeviceId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code strata sync remove-peer ID}: stops trusting a device. */
@Command(name = "remove-peer", description = "Remove a peer: from now on its connections are refused.")
final class SyncRemovePeerCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "ID", description = "The peer's device ID.")
    String id;

    SyncRemovePeerCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        DeviceId peer = SyncArgs.deviceId(id);
        if (!SyncArgs.peerBook(ctx).remove(peer)) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "no peer " + peer + " (see 'strata sync peers')");
        }
        ctx.out().println("removed peer " + peer);
        return 0;
    }
}
