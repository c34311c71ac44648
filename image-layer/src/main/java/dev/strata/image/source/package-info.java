/**
 * What images are taken of (block devices, image files) and the retrying, sector-narrowing reader
 * that records unreadable ranges. Imports only the JDK, core.posix, core.error and dev.strata.image.ByteRange.
 */
package dev.strata.image.source;
