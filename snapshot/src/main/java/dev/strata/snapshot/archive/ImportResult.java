package dev.strata.snapshot.archive;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/**
 * A finished import: the snapshot saved, how many archive entries were left out, and the first
 * {@link #LISTED} of them, each with its reason (the rest are counted, so an archive of any number of
 * bad entries imports in bounded memory).
 */
public record ImportResult(Snapshot snapshot, long leftOut, List<String> warnings) {
    /** The most left-out entries listed with their reason. */
    public static final int LISTED = LeftOut.LISTED;

    public ImportResult {
        warnings = List.copyOf(warnings);
        if (leftOut < warnings.size()) {
            throw new IllegalArgumentException(leftOut + " entries left out, but " + warnings.size() + " listed");
        }
    }
}
