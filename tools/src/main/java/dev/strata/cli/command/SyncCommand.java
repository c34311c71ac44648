package dev.strata.cli.command;

import picocli.CommandLine.Command;

/** {@code strata sync}: this device's identity, its peers, and the sync process (docs/sync.md). */
@Command(name = "sync", description = "Sync between devices: this device's ID, its peers, the sync process and its status.",
        subcommands = {SyncIdCommand.class, SyncAddPeerCommand.class, SyncPeersCommand.class, SyncRemovePeerCommand.class, SyncRunCommand.class, SyncStatusCommand.class,
                SyncShareCommand.class, SyncJoinCommand.class, SyncRevertCommand.class, SyncConflictsCommand.class})
final class SyncCommand {
}
