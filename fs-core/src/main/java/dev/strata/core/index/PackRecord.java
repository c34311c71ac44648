package dev.strata.core.index;

import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackType;

/** What the index knows about one pack. */
public record PackRecord(PackId id, int number, PackType type, long size, int entryCount) {
}
