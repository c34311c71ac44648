package dev.strata.core.pack;

import dev.strata.core.id.PackId;

import java.util.List;

/** What a pack's header and table say: its type, size, entries in file order, and the key its ids are under. */
public record PackTable(PackId id, PackType type, long size, List<PackEntry> entries, KeySpace space) {
    public PackTable {
        entries = List.copyOf(entries);
    }

    /** A pack of the repository's own key space (version 1). */
    public PackTable(PackId id, PackType type, long size, List<PackEntry> entries) {
        this(id, type, size, entries, KeySpace.REPOSITORY);
    }
}
