package dev.strata.snapshot;

import java.time.Duration;
import java.time.Instant;

/** What a backup did, recorded in its snapshot. */
public record SnapshotSummary(long filesNew, long filesChanged, long filesUnchanged,
                              long dirsNew, long dirsChanged, long dirsUnchanged,
                              long bytesRead, long bytesAdded, long bytesStored, long totalFiles, long totalBytes,
                              long warnings, long changedWhileRead, Instant start, Instant end) {
    public static final SnapshotSummary NONE = new SnapshotSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            Instant.EPOCH, Instant.EPOCH);

    public Duration duration() {
        return Duration.between(start, end);
    }
}
