package dev.strata.core.index;

import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;

/** Where the index says a chunk is stored: a pack, its type, and the entry within it. */
public record ChunkLocation(PackId pack, PackType type, PackEntry entry) {
}
