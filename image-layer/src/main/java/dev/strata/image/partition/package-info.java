/**
 * MBR (with logical partitions) and GPT (CRC-checked primary and backup headers) partition tables.
 * Imports only the JDK and dev.strata.image.source.
 */
package dev.strata.image.partition;
