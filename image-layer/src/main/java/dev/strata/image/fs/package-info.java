/**
 * Recognises filesystems by magic and reads the used blocks of ext2/3/4 (block bitmaps) and
 * FAT12/16/32 (allocation table) for --used-only. Imports only the JDK and dev.strata.image.{ByteRange,source}.
 */
package dev.strata.image.fs;
