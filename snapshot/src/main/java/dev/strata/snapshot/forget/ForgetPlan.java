package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The outcome of {@link Retention#apply}: every snapshot given, once, in its group, with the decision
 * to keep or remove it. Groups are sorted ({@link GroupKey}), snapshots newest first. It is what
 * {@code strata forget} prints ({@link ForgetPlanFormat}) and, without {@code --dry-run}, carries out.
 * Immutable.
 *
 * @param now  the time of evaluation: snapshots after it are "in the future" for {@code keepWithin}
 * @param zone the zone in which hours, days, weeks, months and years were counted
 */
public record ForgetPlan(RetentionPolicy policy, GroupBy groupBy, Instant now, ZoneId zone, List<ForgetGroup> groups) {
    public ForgetPlan {
        groups = List.copyOf(groups);
    }

    public List<Snapshot> kept() {
        return groups.stream().flatMap(g -> g.kept().stream()).toList();
    }

    public List<Snapshot> removed() {
        return groups.stream().flatMap(g -> g.removed().stream()).toList();
    }

    /** The records to delete, in plan order. */
    public List<SnapshotId> removedIds() {
        return removed().stream().map(Snapshot::id).toList();
    }
}
