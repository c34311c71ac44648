package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.ShareBook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata sync join VOLUME --from ID}: asks to join a volume a peer shares. */
@Command(name = "join", description = {"Join a volume a peer shares with this device: the next 'strata sync run' asks the",
        "peer for it, creates it in this repository under its keys and fills it."})
final class SyncJoinCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume's name on the peer (and here).")
    String volume;

    @Option(names = "--from", paramLabel = "ID", required = true, description = "The device sharing it (an added peer).")
    String from;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "two-way",
            description = "How this device takes part: two-way (default), send-only (peers' changes are not applied here)"
                    + " or receive-only (changes made here are not sent; 'strata sync revert' undoes them).")
    String mode;

    SyncJoinCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        DeviceId peer = SyncArgs.deviceId(from);
        ShareBook.Mode m = SyncArgs.mode(mode);
        if (SyncArgs.peerBook(ctx).find(peer).isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "device " + peer + " is not an added peer: 'strata sync add-peer "
                    + peer + " HOST:PORT' first");
        }
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            if (VolumeAccess.catalog(ctx, r).find(volume).isPresent()) {
                throw new UserFacingException(ExitCode.ALREADY_EXISTS, "this repository has a volume called '" + volume
                        + "' already; a joined volume takes the name it has on the peer");
            }
        }
        ShareBook book = SyncArgs.shareBook(ctx);
        if (book.find(volume).isPresent()) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, "volume '" + volume + "' is shared or joined already");
        }
        book.put(new ShareBook.Share(volume, null, m, List.of(peer), peer, book.now()));
        ctx.out().println("joining volume " + volume + " from " + peer + ": 'strata sync run' fetches it");
        return 0;
    }
}
