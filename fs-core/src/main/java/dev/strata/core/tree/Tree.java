package dev.strata.core.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A directory's entries, sorted by name and unique (docs/format.md §10.2). Immutable. */
public record Tree(List<Node> nodes) {
    public static final Tree EMPTY = new Tree(List.of());

    public Tree {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort((a, b) -> Names.ORDER.compare(a.name(), b.name()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("two entries named '" + sorted.get(i).name() + "'");
            }
        }
        nodes = Collections.unmodifiableList(sorted);
    }

    /** The entry called {@code name}, by binary search. */
    public Optional<Node> find(String name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Names.ORDER.compare(nodes.get(mid).name(), name);
            if (c == 0) {
                return Optional.of(nodes.get(mid));
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }
}
