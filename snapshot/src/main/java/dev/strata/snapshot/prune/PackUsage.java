package dev.strata.snapshot.prune;

import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackType;

/** How much of one pack live snapshots still use. Confined to the prune thread. */
final class PackUsage {
    final PackId id;
    final PackType type;
    final long size;
    long usedBytes;
    long unusedBytes;
    int usedEntries;
    int unusedEntries;

    PackUsage(PackId id, PackType type, long size) {
        this.id = id;
        this.type = type;
        this.size = size;
    }

    boolean unused() {
        return usedEntries == 0;
    }
}
