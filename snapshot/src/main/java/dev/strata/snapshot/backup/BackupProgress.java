package dev.strata.snapshot.backup;

/** Receives a backup's progress. Implementations must be thread-safe and quick. */
public interface BackupProgress {
    BackupProgress NONE = new BackupProgress() {
    };

    /** The scanner found the total work: files and bytes (sent once, possibly before the backup ends). */
    default void totals(long files, long bytes) {
    }

    /** A file could not be read or was skipped; the backup goes on. */
    default void warning(Warnings.Warning w) {
    }
}
