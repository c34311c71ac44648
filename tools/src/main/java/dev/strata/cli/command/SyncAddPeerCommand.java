package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.peer.Peer;
import dev.strata.sync.peer.PeerAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code strata sync add-peer ID HOST:PORT}: trusts a device and says where it listens. */
@Command(name = "add-peer", description = {"Add a peer by its device ID (what 'strata sync id' prints there) and the address",
        "it listens on; adding it again changes its address. Nothing is exchanged until the peer has added this",
        "device too."})
final class SyncAddPeerCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "ID", description = "The peer's device ID.")
    String id;

    @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Where the peer's 'strata sync run' listens.")
    String address;

    SyncAddPeerCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        DeviceId peer = SyncArgs.deviceId(id);
        PeerAddress at;
        try {
            at = PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, e.getMessage());
        }
        if (at.port() == 0) {
            throw new UserFacingException(ExitCode.USAGE, "a peer's port cannot be 0: give the port its 'strata sync run' listens on");
        }
        if (peer.equals(SyncIdentities.loadOrCreate(ctx).id())) {
            throw new UserFacingException(ExitCode.USAGE, "that is this device's own ID; add the other device's (run 'strata sync id' there)");
        }
        Optional<Peer> before = SyncArgs.peerBook(ctx).add(peer, at);
        if (before.isEmpty()) {
            ctx.out().println("added peer " + peer + " at " + at);
        } else if (before.get().address().equals(at)) {
            ctx.out().println("peer " + peer + " was added already, at " + at);
        } else {
            ctx.out().println("peer " + peer + " moved from " + before.get().address() + " to " + at);
        }
        return 0;
    }
}
