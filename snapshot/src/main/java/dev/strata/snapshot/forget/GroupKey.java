package dev.strata.snapshot.forget;

import dev.strata.snapshot.SnapshotKind;

import java.util.Comparator;
import java.util.List;

/**
 * What the snapshots of one retention group share. A field the grouping does not use is null; paths
 * and tags are sorted and without duplicates, so {@code [/b, /a]} and {@code [/a, /b]} are one group.
 * Groups sort by kind, host, paths, tags (absent first). Immutable.
 *
 * @param kind always set: snapshots of different kinds are never weighed against each other
 */
public record GroupKey(SnapshotKind kind, String host, List<String> paths, List<String> tags)
        implements Comparable<GroupKey> {
    private static final Comparator<List<String>> LISTS = GroupKey::compareLists;
    private static final Comparator<GroupKey> ORDER = Comparator.comparing(GroupKey::kind)
            .thenComparing(GroupKey::host, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(GroupKey::paths, Comparator.nullsFirst(LISTS))
            .thenComparing(GroupKey::tags, Comparator.nullsFirst(LISTS));

    public GroupKey {
        if (kind == null) {
            throw new IllegalArgumentException("a group key needs a kind");
        }
        paths = paths == null ? null : List.copyOf(paths);
        tags = tags == null ? null : List.copyOf(tags);
    }

    @Override
    public int compareTo(GroupKey other) {
        return ORDER.compare(this, other);
    }

    private static int compareLists(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
