package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The retention policy of {@code strata forget} as a pure function: snapshots, policy, grouping, the
 * time of evaluation and a zone in, a {@link ForgetPlan} out. No I/O, no clock. Stateless, thread-safe.
 *
 * <p>Semantics are restic's ({@code restic forget}, 0.16 and later), per group:
 * <ul>
 *   <li>Snapshots are walked newest first (ties broken by id, descending: the exact reverse of
 *       {@code Snapshots.list}).</li>
 *   <li>{@code keepLast N} keeps the N newest. {@code keepHourly/Daily/Weekly/Monthly/Yearly N} keep, for
 *       the N newest hours (days, ISO weeks, months, years) that have snapshots, the newest snapshot in
 *       it. Calendar fields are read in {@code zone}: the same snapshots can be two days in UTC and one
 *       day in Auckland. A count of -1 has no limit.</li>
 *   <li>While a rule's count is not used up, the oldest snapshot of the group is also kept for it (as
 *       {@code daily-N} with the next N), even when it shares its bucket with a newer kept one: a young
 *       repository keeps its first snapshot.</li>
 *   <li>{@code keepWithin D} keeps every snapshot taken less than D before the newest snapshot of the
 *       group, not before {@code now}: a machine that stopped backing up keeps its last week. As in
 *       restic, snapshots after {@code now} (a clock that ran ahead) are not used as that newest one and
 *       are always within. This is the only use of {@code now}. (restic measures calendar years and
 *       months; a {@link java.time.Duration} is exact, see {@link DurationText}.)</li>
 *   <li>{@code keepTags} keeps every snapshot with at least one of the tags (restic's {@code --keep-tag
 *       a,b} needs both tags; here each tag is enough).</li>
 *   <li>A snapshot is kept if any rule keeps it, and lists every rule that did.</li>
 * </ul>
 * Groups: {@link GroupBy} (default host and paths), and always the kind. Snapshots of every kind are
 * treated alike, but a kind is never weighed against another: under {@code --group-by host}, hourly
 * volume snapshots would otherwise take every {@code keepDaily} slot from the nightly backup or the weekly
 * disk image, which capture something else and cannot stand in for each other.
 */
public final class Retention {
    private static final Comparator<Snapshot> NEWEST_FIRST = Comparator.comparing(Snapshot::time)
            .thenComparing(Snapshot::id)
            .reversed();

    private Retention() {
    }

    /** {@link #apply(List, RetentionPolicy, GroupBy, Instant, ZoneId)} grouped by host and paths. */
    public static ForgetPlan apply(List<Snapshot> snapshots, RetentionPolicy policy, Instant now, ZoneId zone) {
        return apply(snapshots, policy, GroupBy.DEFAULT, now, zone);
    }

    /**
     * Decides for every snapshot. The snapshots must be stored ones (with ids), each given once; their
     * order does not matter.
     */
    public static ForgetPlan apply(List<Snapshot> snapshots, RetentionPolicy policy, GroupBy groupBy,
                                   Instant now, ZoneId zone) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        Map<GroupKey, List<Snapshot>> groups = new TreeMap<>();
        Set<SnapshotId> seen = new HashSet<>();
        for (Snapshot s : snapshots) {
            if (s.id() == null) {
                throw new IllegalArgumentException("retention applies to stored snapshots; one taken at " + s.time()
                        + " has no id");
            }
            if (!seen.add(s.id())) {
                throw new IllegalArgumentException("snapshot " + s.shortId() + " is listed twice");
            }
            groups.computeIfAbsent(groupBy.keyOf(s), k -> new ArrayList<>()).add(s);
        }
        List<ForgetGroup> out = new ArrayList<>(groups.size());
        groups.forEach((key, members) -> {
            members.sort(NEWEST_FIRST);
            out.add(new ForgetGroup(key, GroupRetention.decide(members, policy, now, zone)));
        });
        return new ForgetPlan(policy, groupBy, now, zone, out);
    }
}
