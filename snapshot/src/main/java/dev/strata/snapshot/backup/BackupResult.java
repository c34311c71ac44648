package dev.strata.snapshot.backup;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/**
 * A finished backup: its snapshot, and the files it had to leave out or flag — all counted in the
 * snapshot's summary, the first {@link Warnings#LISTED} of them listed here with their reason.
 */
public record BackupResult(Snapshot snapshot, List<Warnings.Warning> warnings, BackupCounters counters) {
    public BackupResult {
        warnings = List.copyOf(warnings);
        if (warnings.size() > snapshot.summary().warnings()) {
            throw new IllegalArgumentException(warnings.size() + " warnings listed, but " + snapshot.summary().warnings() + " counted");
        }
    }

    /** Whether some file was left out or saved while it changed. */
    public boolean incomplete() {
        return snapshot.summary().warnings() > 0 || snapshot.summary().changedWhileRead() > 0;
    }

    /** How many warnings the backup had, listed or not. */
    public long warningCount() {
        return snapshot.summary().warnings();
    }
}
