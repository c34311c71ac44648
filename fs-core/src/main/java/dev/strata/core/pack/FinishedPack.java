package dev.strata.core.pack;

import dev.strata.core.id.PackId;

import java.nio.file.Path;
import java.util.List;

/** A pack written and fsynced to a local staging file, ready to be stored in the backend and indexed. */
public record FinishedPack(PackId id, PackType type, Path file, long size, List<PackEntry> entries) {
    public FinishedPack {
        entries = List.copyOf(entries);
    }
}
