package dev.strata.cli.command;

import picocli.CommandLine.Command;

/** {@code strata volume}: live read-write volumes whose every saved version is kept (docs/volume.md). */
@Command(name = "volume", description = "Live read-write volumes that keep every saved version: create, list, info, checkpoint, rollback, import, remove.",
        subcommands = {VolumeCreateCommand.class, VolumeListCommand.class, VolumeInfoCommand.class,
                VolumeCheckpointCommand.class, VolumeRollbackCommand.class, VolumeImportCommand.class, VolumeRemoveCommand.class})
final class VolumeCommand {
}
