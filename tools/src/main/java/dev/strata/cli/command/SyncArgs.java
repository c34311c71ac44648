package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.config.ConfigFolder;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.peer.PeerBook;
import dev.strata.sync.volumes.ShareBook;

/** What the sync commands share: reading a device ID as typed, and the peer list of this device. */
final class SyncArgs {
    private SyncArgs() {
    }

    static DeviceId deviceId(String text) throws UserFacingException {
        try {
            return DeviceId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "not a device ID: " + e.getMessage());
        }
    }

    static dev.strata.sync.volumes.ShareBook shareBook(CliContext ctx) {
        return new dev.strata.sync.volumes.ShareBook(ConfigFolder.resolve(ctx.env()), ctx.clock());
    }

    static PeerBook peerBook(CliContext ctx) {
        return new PeerBook(ConfigFolder.resolve(ctx.env()), ctx.clock());
    }

    /** The mode a {@code --mode} names. */
    static ShareBook.Mode mode(String text) throws UserFacingException {
        try {
            return ShareBook.Mode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, "--mode: " + e.getMessage());
        }
    }
}
