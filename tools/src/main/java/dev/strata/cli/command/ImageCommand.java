package dev.strata.cli.command;

import picocli.CommandLine.Command;

/** {@code strata image}: disk images of block devices and image files (docs/images.md). */
@Command(name = "image", description = "Image block devices and image files, list images and the files inside them, restore them.",
        subcommands = {ImageCreateCommand.class, ImageRestoreCommand.class, ImageListCommand.class, ImageLsCommand.class})
final class ImageCommand {
}
