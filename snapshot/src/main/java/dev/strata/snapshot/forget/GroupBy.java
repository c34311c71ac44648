package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which snapshot fields split the snapshots into groups that the policy is applied to separately
 * ({@code --group-by}). The kind is always part of the group ({@link GroupKey}). Immutable.
 */
public record GroupBy(boolean host, boolean paths, boolean tags) {
    /** restic's default, {@code host,paths}: one series per machine and set of backed-up paths. */
    public static final GroupBy DEFAULT = new GroupBy(true, true, false);
    /** {@code --group-by ''}: one group per kind. */
    public static final GroupBy NONE = new GroupBy(false, false, false);

    /** Reads {@code host,paths}, {@code tags}, {@code ''}...; singular and plural names are both accepted. */
    public static GroupBy parse(String text) {
        boolean host = false;
        boolean paths = false;
        boolean tags = false;
        for (String part : text.split(",", -1)) {
            switch (part.strip().toLowerCase(Locale.ROOT)) {
                case "" -> { }
                case "host", "hosts" -> host = true;
                case "path", "paths" -> paths = true;
                case "tag", "tags" -> tags = true;
                default -> throw new IllegalArgumentException("cannot group by '" + part.strip()
                        + "': use host, paths and/or tags, separated by commas");
            }
        }
        return new GroupBy(host, paths, tags);
    }

    /** The group of {@code s}: paths and tags compared as sets, fields not grouped by left null. */
    public GroupKey keyOf(Snapshot s) {
        return new GroupKey(s.kind(), host ? s.host() : null, paths ? sortedSet(s.paths()) : null,
                tags ? sortedSet(s.tags()) : null);
    }

    /** The form {@link #parse} reads: {@code host,paths}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (host) {
            parts.add("host");
        }
        if (paths) {
            parts.add("paths");
        }
        if (tags) {
            parts.add("tags");
        }
        return String.join(",", parts);
    }

    private static List<String> sortedSet(List<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }
}
