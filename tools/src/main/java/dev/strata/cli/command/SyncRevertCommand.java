package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.volumes.ShareBook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code strata sync revert VOLUME}: puts the peers' state back over the changes made here to a receive-only volume. */
@Command(name = "revert", description = {"Put the peers' state of a receive-only volume back over the changes made on this",
        "device: files changed or deleted here take the peers' content again, files made here go. The content they",
        "held here stays in versions/. The sync process (a mount of the volume, or 'strata sync run') does it."})
final class SyncRevertCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "The shared volume, receive-only on this device.")
    String volume;

    SyncRevertCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ShareBook book = SyncArgs.shareBook(ctx);
        ShareBook.Share s = book.find(volume).orElseThrow(() -> new UserFacingException(ExitCode.NOT_FOUND,
                "volume '" + volume + "' is not shared with or joined from any device here ('strata sync status' lists them)"));
        if (s.mode() != ShareBook.Mode.RECEIVE_ONLY) {
            throw new UserFacingException(ExitCode.USAGE, "volume '" + volume + "' is " + s.mode().text()
                    + " on this device: its changes are sent, so there is nothing to revert (only a receive-only volume"
                    + " keeps changes to itself)");
        }
        book.update(volume, x -> x.withRevert(book.now()));
        ctx.out().println("reverting volume " + volume + ": the sync process puts the peers' state back over the changes made"
                + " here once a peer is connected ('strata sync status' tells); what they held stays in versions/");
        return 0;
    }
}
