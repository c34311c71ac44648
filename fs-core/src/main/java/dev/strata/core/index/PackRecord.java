package dev.strata.core.index;

import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackType;

/**
 * What the index knows about one pack.
 *
 * @param salvaged its table could not be read; the index holds the entries a scan found readable
 */
public record PackRecord(PackId id, int number, PackType type, long size, int entryCount, boolean salvaged) {
}
