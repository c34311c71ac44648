package dev.strata.snapshot.archive;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/** A finished import: the snapshot saved, and the archive entries left out, each with its reason. */
public record ImportResult(Snapshot snapshot, List<String> warnings) {
    public ImportResult {
        warnings = List.copyOf(warnings);
    }
}
