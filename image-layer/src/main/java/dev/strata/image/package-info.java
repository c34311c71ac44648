/**
 * Disk images: takes a block device or image file into the chunk store as an image snapshot
 * ({@link dev.strata.image.ImageCreator}) and writes it back, verified
 * ({@link dev.strata.image.ImageRestorer}). The device is the one file {@code disk.img} of the
 * snapshot's tree; its layout is the {@link dev.strata.image.ImageDescription} in the snapshot's
 * {@code extra}. Must not import the CLI, FUSE or jnr.
 */
package dev.strata.image;
