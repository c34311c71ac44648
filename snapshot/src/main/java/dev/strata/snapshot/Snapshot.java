package dev.strata.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.id.ChunkId;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot: a root tree and where, when and how it was taken (docs/format.md §11). {@code id}
 * is null until the record is stored. Immutable.
 *
 * @param extra  kind-specific JSON (the image description), or null
 * @param origin the snapshot this one is a copy of ({@code strata copy}), or null for an original
 */
public record Snapshot(SnapshotId id, SnapshotKind kind, Instant time, String host, String user, long uid, long gid,
                       List<String> paths, List<String> tags, SnapshotId parent, ChunkId tree,
                       List<String> excludes, SnapshotSummary summary, JsonNode extra, SnapshotOrigin origin) {
    public Snapshot {
        paths = List.copyOf(paths);
        tags = List.copyOf(tags);
        excludes = List.copyOf(excludes);
        if (summary == null) {
            summary = SnapshotSummary.NONE;
        }
    }

    /** An original snapshot (no origin). */
    public Snapshot(SnapshotId id, SnapshotKind kind, Instant time, String host, String user, long uid, long gid,
                    List<String> paths, List<String> tags, SnapshotId parent, ChunkId tree,
                    List<String> excludes, SnapshotSummary summary, JsonNode extra) {
        this(id, kind, time, host, user, uid, gid, paths, tags, parent, tree, excludes, summary, extra, null);
    }

    public Snapshot withId(SnapshotId newId) {
        return new Snapshot(newId, kind, time, host, user, uid, gid, paths, tags, parent, tree, excludes, summary, extra, origin);
    }

    public Snapshot withTags(List<String> newTags) {
        return new Snapshot(id, kind, time, host, user, uid, gid, paths, newTags, parent, tree, excludes, summary, extra, origin);
    }

    /** The same snapshot in another repository: its tree and parent there, and what it is a copy of. */
    public Snapshot copiedAs(ChunkId newTree, SnapshotId newParent, SnapshotOrigin copyOf) {
        return new Snapshot(null, kind, time, host, user, uid, gid, paths, tags, newParent, newTree, excludes, summary, extra, copyOf);
    }

    public String shortId() {
        return id == null ? "(unsaved)" : id.shortString();
    }
}
