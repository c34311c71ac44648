package dev.strata.cli.command;

import dev.strata.snapshot.SnapshotFilter;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;

/** Options that narrow which snapshots a command considers. */
final class SnapshotArgs {
    @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots of this host (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only snapshots with this tag (repeatable: all must match).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots that include this path (repeatable).")
    List<String> paths = new ArrayList<>();

    SnapshotFilter filter() {
        return new SnapshotFilter(new HashSet<>(hosts), new HashSet<>(tags), new HashSet<>(paths));
    }
}
