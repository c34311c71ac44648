package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/**
 * The decisions for one retention group, newest snapshot first. Immutable.
 */
public record ForgetGroup(GroupKey key, List<Decision> decisions) {
    public ForgetGroup {
        decisions = List.copyOf(decisions);
    }

    public List<Snapshot> kept() {
        return decisions.stream().filter(Decision::keep).map(Decision::snapshot).toList();
    }

    public List<Snapshot> removed() {
        return decisions.stream().filter(d -> !d.keep()).map(Decision::snapshot).toList();
    }
}
