package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;

import java.time.Instant;
import java.util.List;

/**
 * What happens to one snapshot, and why it is kept: {@code ["last-1", "daily-1", "weekly-1"]}. A
 * removed snapshot has no reasons. Immutable.
 *
 * @param reasons in restic's order: {@code tag <t>} (sorted), {@code within <d>}, then {@code last-N},
 *                {@code hourly-N}, {@code daily-N}, {@code weekly-N}, {@code monthly-N}, {@code yearly-N},
 *                where N counts the snapshots kept for that rule in the group, 1 = newest
 */
public record Decision(Snapshot snapshot, boolean keep, List<String> reasons) {
    public Decision {
        reasons = List.copyOf(reasons);
        if (keep == reasons.isEmpty()) {
            throw new IllegalArgumentException("a snapshot is kept exactly when there is a reason to");
        }
    }

    /** {@code keep} or {@code remove}. */
    public String action() {
        return keep ? "keep" : "remove";
    }

    /** The snapshot id in full hex. */
    public String id() {
        return snapshot.id().toString();
    }

    public String shortId() {
        return snapshot.shortId();
    }

    public Instant time() {
        return snapshot.time();
    }
}
