package dev.strata.cli.command;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotFilter;
import dev.strata.snapshot.SnapshotSelector;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;

import java.io.IOException;

/** A snapshot named on the command line, optionally with a path inside it: {@code latest:/home/ana}. */
record SnapshotRef(Snapshot snapshot, String path) {
    static SnapshotRef resolve(Snapshots snapshots, String spec, SnapshotFilter filter) throws IOException {
        int colon = spec.indexOf(':');
        String id = colon < 0 ? spec : spec.substring(0, colon);
        String path = colon < 0 ? "/" : TreePaths.normalise(spec.substring(colon + 1));
        return new SnapshotRef(SnapshotSelector.select(snapshots.list(), id, filter), path);
    }
}
