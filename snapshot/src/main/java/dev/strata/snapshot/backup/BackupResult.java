package dev.strata.snapshot.backup;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/** A finished backup: its snapshot, and the files it had to leave out or flag. */
public record BackupResult(Snapshot snapshot, List<Warnings.Warning> warnings, BackupCounters counters) {
    public BackupResult {
        warnings = List.copyOf(warnings);
    }

    /** Whether some file was left out or saved while it changed. */
    public boolean incomplete() {
        return !warnings.isEmpty() || snapshot.summary().changedWhileRead() > 0;
    }
}
