package dev.strata.core.pack;

import dev.strata.core.id.PackId;

import java.util.List;

/** What a pack's table says: its type, size and entries in file order. */
public record PackTable(PackId id, PackType type, long size, List<PackEntry> entries) {
    public PackTable {
        entries = List.copyOf(entries);
    }
}
