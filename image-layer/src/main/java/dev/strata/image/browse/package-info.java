/**
 * Reading the files inside an imaged filesystem (ext2/3/4, FAT12/16/32) without mounting it: small,
 * strict readers in which every count, offset, depth and allocation is bounded, so a damaged or
 * hostile image answers {@link dev.strata.image.browse.FilesystemDamageException} for the damaged
 * part instead of hanging or exhausting memory. Knows nothing of the store or of FUSE: it reads a
 * {@link dev.strata.image.browse.ByteSource}.
 */
package dev.strata.image.browse;
