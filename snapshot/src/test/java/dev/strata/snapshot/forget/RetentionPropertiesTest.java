package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of {@link Retention#apply} over random histories, policies, groupings and zones. */
class RetentionPropertiesTest {
    private static final Instant START = Instant.parse("2025-12-20T00:00:00Z");
    private static final int SPAN_MINUTES = 3 * 366 * 24 * 60;
    private static final List<String> TAGS = List.of("x", "y");

    @Property(tries = 300)
    void everySnapshotAppearsExactlyOnce(@ForAll("histories") List<Snapshot> snapshots,
                                         @ForAll("policies") RetentionPolicy policy, @ForAll("groupings") GroupBy groupBy,
                                         @ForAll("instants") Instant now, @ForAll("zones") ZoneId zone) {
        ForgetPlan plan = Retention.apply(snapshots, policy, groupBy, now, zone);
        List<SnapshotId> out = plan.groups().stream().flatMap(g -> g.decisions().stream())
                .map(d -> d.snapshot().id()).toList();
        assertThat(out).hasSameSizeAs(snapshots).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(snapshots.stream().map(Snapshot::id).toList());
        assertThat(plan.kept().size() + plan.removed().size()).isEqualTo(snapshots.size());
    }

    @Property(tries = 300)
    void planOrder_groupsSorted_newestFirst_eachGroupHomogeneous(@ForAll("histories") List<Snapshot> snapshots,
                                                                  @ForAll("policies") RetentionPolicy policy,
                                                                  @ForAll("groupings") GroupBy groupBy,
                                                                  @ForAll("zones") ZoneId zone) {
        ForgetPlan plan = Retention.apply(snapshots, policy, groupBy, START, zone);
        for (int i = 1; i < plan.groups().size(); i++) {
            assertThat(plan.groups().get(i - 1).key()).isLessThan(plan.groups().get(i).key());
        }
        for (ForgetGroup g : plan.groups()) {
            List<Decision> ds = g.decisions();
            for (int i = 0; i < ds.size(); i++) {
                assertThat(groupBy.keyOf(ds.get(i).snapshot())).isEqualTo(g.key());
                if (i > 0) {
                    assertThat(ds.get(i - 1).time()).isAfterOrEqualTo(ds.get(i).time());
                }
            }
        }
    }

    @Property(tries = 300)
    void inputOrder_doesNotMatter(@ForAll("histories") List<Snapshot> snapshots, @ForAll("policies") RetentionPolicy policy,
                                  @ForAll("groupings") GroupBy groupBy, @ForAll("instants") Instant now,
                                  @ForAll("zones") ZoneId zone, @ForAll long seed) {
        List<Snapshot> shuffled = new ArrayList<>(snapshots);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(Retention.apply(shuffled, policy, groupBy, now, zone))
                .isEqualTo(Retention.apply(snapshots, policy, groupBy, now, zone));
    }

    @Property(tries = 300)
    void keepLastN_keepsExactlyTheNewestMinNCount_perGroup(@ForAll("histories") List<Snapshot> snapshots,
                                                           @ForAll @IntRange(min = 1, max = 12) int n,
                                                           @ForAll("groupings") GroupBy groupBy,
                                                           @ForAll("zones") ZoneId zone) {
        ForgetPlan plan = Retention.apply(snapshots, RetentionPolicy.builder().last(n).build(), groupBy, START, zone);
        for (ForgetGroup g : plan.groups()) {
            int expected = Math.min(n, g.decisions().size());
            assertThat(g.kept()).hasSize(expected);
            assertThat(g.decisions().subList(0, expected)).allMatch(Decision::keep);
        }
    }

    @Property(tries = 300)
    void keepLastAtLeastCount_removesNothing(@ForAll("histories") List<Snapshot> snapshots,
                                             @ForAll("policies") RetentionPolicy other,
                                             @ForAll @IntRange(min = 0, max = 5) int extra,
                                             @ForAll("groupings") GroupBy groupBy,
                                             @ForAll("instants") Instant now, @ForAll("zones") ZoneId zone) {
        RetentionPolicy policy = withCount(other, Bucket.LAST, snapshots.size() + extra);
        assertThat(Retention.apply(snapshots, policy, groupBy, now, zone).removed()).isEmpty();
    }

    /** Raising any count (to -1 included), lengthening keepWithin or adding a tag never keeps less. */
    @Property(tries = 500)
    void largerPolicy_keepsASuperset(@ForAll("histories") List<Snapshot> snapshots, @ForAll("policies") RetentionPolicy p,
                                     @ForAll("raises") List<Integer> raises, @ForAll @IntRange(max = 72) int moreHours,
                                     @ForAll boolean addTag, @ForAll("groupings") GroupBy groupBy,
                                     @ForAll("instants") Instant now, @ForAll("zones") ZoneId zone) {
        RetentionPolicy larger = p;
        for (Bucket b : Bucket.values()) {
            int c = larger.count(b);
            int raise = raises.get(b.ordinal());
            larger = withCount(larger, b, c == -1 || raise == -1 ? -1 : c + raise);
        }
        Duration within = p.keepWithin() == null
                ? (moreHours == 0 ? null : Duration.ofHours(moreHours))
                : p.keepWithin().plusHours(moreHours);
        Set<String> tags = new TreeSet<>(p.keepTags());
        if (addTag) {
            tags.add("y");
        }
        larger = new RetentionPolicy(larger.keepLast(), larger.keepHourly(), larger.keepDaily(), larger.keepWeekly(),
                larger.keepMonthly(), larger.keepYearly(), within, tags, true);

        Set<SnapshotId> keptBefore = ids(Retention.apply(snapshots, p, groupBy, now, zone).kept());
        Set<SnapshotId> keptAfter = ids(Retention.apply(snapshots, larger, groupBy, now, zone).kept());
        assertThat(keptAfter).containsAll(keptBefore);
    }

    @Property(tries = 200)
    void countFreeRules_doNotDependOnTheZone(@ForAll("histories") List<Snapshot> snapshots,
                                             @ForAll @IntRange(min = 0, max = 5) int last,
                                             @ForAll @IntRange(max = 2000) int withinHours,
                                             @ForAll("instants") Instant now, @ForAll("zones") ZoneId zone) {
        RetentionPolicy p = new RetentionPolicy(last, 0, 0, 0, 0, 0, Duration.ofHours(withinHours), Set.of("x"), true);
        assertThat(Retention.apply(snapshots, p, GroupBy.DEFAULT, now, zone).groups())
                .isEqualTo(Retention.apply(snapshots, p, GroupBy.DEFAULT, now, ZoneId.of("UTC")).groups());
    }

    @Provide
    Arbitrary<List<Snapshot>> histories() {
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, SPAN_MINUTES);
        // a few snapshots cluster on the same minutes, to exercise ties and shared buckets
        Arbitrary<Integer> clustered = Arbitraries.frequencyOf(
                Tuple.of(4, minutes), Tuple.of(1, Arbitraries.of(0, 60, 1440)));
        Arbitrary<Object[]> fields = Combinators.combine(clustered, Arbitraries.of("a", "b"),
                        Arbitraries.of(List.of("/home"), List.of("/etc"), List.of("/etc", "/home"), List.of("/home", "/etc")),
                        Arbitraries.subsetOf(TAGS), Arbitraries.of(SnapshotKind.BACKUP, SnapshotKind.BACKUP, SnapshotKind.IMAGE))
                .as((m, host, paths, tags, kind) -> new Object[]{m, host, paths, tags, kind});
        return fields.list().ofMaxSize(40).map(rows -> {
            List<Snapshot> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Object[] r = rows.get(i);
                @SuppressWarnings("unchecked")
                List<String> paths = (List<String>) r[2];
                @SuppressWarnings("unchecked")
                Set<String> tags = (Set<String>) r[3];
                out.add(Snaps.snapshot("s" + i, START.plus(Duration.ofMinutes((Integer) r[0])), (SnapshotKind) r[4],
                        (String) r[1], paths, new ArrayList<>(new TreeSet<>(tags))));
            }
            return out;
        });
    }

    @Provide
    Arbitrary<RetentionPolicy> policies() {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 6)),
                Tuple.of(1, Arbitraries.just(-1)));
        Arbitrary<Duration> within = Arbitraries.integers().between(0, 24 * 90).map(h -> h == 0 ? null : Duration.ofHours(h))
                .injectNull(0.5);
        return Combinators.combine(count.list().ofSize(6), within, Arbitraries.subsetOf(TAGS))
                .as((c, w, tags) -> new RetentionPolicy(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5), w,
                        tags, true));
    }

    /** Per bucket: how much to raise its count; -1 means to unlimited. */
    @Provide
    Arbitrary<List<Integer>> raises() {
        return Arbitraries.of(0, 0, 1, 3, -1).list().ofSize(Bucket.values().length);
    }

    @Provide
    Arbitrary<GroupBy> groupings() {
        return Arbitraries.of(GroupBy.DEFAULT, GroupBy.NONE, GroupBy.parse("host"), GroupBy.parse("tags"),
                GroupBy.parse("host,paths,tags"));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.integers().between(-SPAN_MINUTES / 10, SPAN_MINUTES + SPAN_MINUTES / 10)
                .map(m -> START.plus(Duration.ofMinutes(m)));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Pacific/Auckland", "Asia/Kolkata",
                "Pacific/Chatham").map(ZoneId::of);
    }

    private static RetentionPolicy withCount(RetentionPolicy p, Bucket b, int n) {
        int[] c = new int[Bucket.values().length];
        for (Bucket x : Bucket.values()) {
            c[x.ordinal()] = x == b ? n : p.count(x);
        }
        return new RetentionPolicy(c[0], c[1], c[2], c[3], c[4], c[5], p.keepWithin(), p.keepTags(), true);
    }

    private static Set<SnapshotId> ids(List<Snapshot> snapshots) {
        Set<SnapshotId> out = new HashSet<>();
        snapshots.forEach(s -> out.add(s.id()));
        return out;
    }
}
