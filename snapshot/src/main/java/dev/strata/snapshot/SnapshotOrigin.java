package dev.strata.snapshot;

import java.util.regex.Pattern;

/**
 * Where a copied snapshot was first taken (docs/format.md §11): the id of that repository and the
 * snapshot's id there. A copy of a copy keeps the first origin, so every copy of one snapshot, in any
 * repository, names the same origin. Immutable.
 *
 * @param repository the repository id, 32 lowercase hex digits
 * @param snapshot   the snapshot's id in that repository
 */
public record SnapshotOrigin(String repository, SnapshotId snapshot) {
    private static final Pattern REPOSITORY_ID = Pattern.compile("[0-9a-f]{32}");

    public SnapshotOrigin {
        if (repository == null || !REPOSITORY_ID.matcher(repository).matches()) {
            throw new IllegalArgumentException("a repository id is 32 lowercase hex digits, not '" + repository + "'");
        }
        if (snapshot == null) {
            throw new IllegalArgumentException("an origin names a snapshot");
        }
    }

    /** What {@code s}, a snapshot of the repository {@code repositoryId}, is a copy of: its origin, else itself. */
    public static SnapshotOrigin of(Snapshot s, String repositoryId) {
        return s.origin() != null ? s.origin() : new SnapshotOrigin(repositoryId, s.id());
    }
}
