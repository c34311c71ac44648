package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.sync.peer.Peer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata sync peers}: the peers this device has added. */
@Command(name = "peers", description = "List the peers this device has added.")
final class SyncPeersCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    OutputArgs output;

    SyncPeersCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<Peer> peers = SyncArgs.peerBook(ctx).list();
        if (output.json) {
            var arr = Json.MAPPER.createArrayNode();
            for (Peer p : peers) {
                var n = arr.addObject();
                n.put("id", p.id().toString());
                n.put("address", p.address().toString());
                n.put("added", p.added().toString());
            }
            ctx.out().println(Json.write(arr));
            return 0;
        }
        if (peers.isEmpty()) {
            if (!output.quiet) {
                ctx.out().println("no peers yet: add one with 'strata sync add-peer ID HOST:PORT'");
            }
            return 0;
        }
        ctx.out().printf("%-63s  %-28s  %s%n", "Peer", "Address", "Added");
        for (Peer p : peers) {
            ctx.out().printf("%-63s  %-28s  %s%n", p.id(), p.address(), Times.local(p.added()));
        }
        return 0;
    }
}
