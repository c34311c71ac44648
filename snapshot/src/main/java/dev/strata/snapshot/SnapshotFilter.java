package dev.strata.snapshot;

import java.util.List;
import java.util.Set;

/**
 * Which snapshots a command considers: by host, tag and path (each empty set means "any").
 * A snapshot matches when its host is one of {@code hosts}, it carries every tag in {@code tags},
 * and its paths include every path in {@code paths}.
 */
public record SnapshotFilter(Set<String> hosts, Set<String> tags, Set<String> paths) {
    public static final SnapshotFilter ANY = new SnapshotFilter(Set.of(), Set.of(), Set.of());

    public SnapshotFilter {
        hosts = Set.copyOf(hosts);
        tags = Set.copyOf(tags);
        paths = Set.copyOf(paths);
    }

    public boolean matches(Snapshot s) {
        return (hosts.isEmpty() || hosts.contains(s.host()))
                && s.tags().containsAll(tags)
                && s.paths().containsAll(paths);
    }

    public List<Snapshot> apply(List<Snapshot> all) {
        return all.stream().filter(this::matches).toList();
    }
}
