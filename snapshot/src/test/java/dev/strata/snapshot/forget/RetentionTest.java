package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static dev.strata.snapshot.forget.RetentionTable.keep;
import static dev.strata.snapshot.forget.RetentionTable.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void apply_keepsWhatTheTableSays(RetentionTable t) {
        assertThat(t.actual()).as(t.toString()).isEqualTo(t.expected());
    }

    static Stream<RetentionTable> tables() {
        return Stream.of(
                table("keep-last 3 over 5 snapshots", keep().last(3), """
                        s5  2026-11-05 18:00  | last-1
                        s4  2026-11-05 09:00  | last-2
                        s3  2026-11-04 18:00  | last-3
                        s2  2026-11-04 09:00  | remove
                        s1  2026-11-03 18:00  | remove
                        """),
                table("keep-last 5 over 3 snapshots keeps all", keep().last(5), """
                        s3  2026-11-05 18:00  | last-1
                        s2  2026-11-05 09:00  | last-2
                        s1  2026-11-04 18:00  | last-3
                        """),
                table("keep-daily 3 over 10 snapshots across 5 days", keep().daily(3), """
                        s10 2026-11-05 18:00  | daily-1
                        s9  2026-11-05 09:00  | remove
                        s8  2026-11-04 18:00  | daily-2
                        s7  2026-11-04 09:00  | remove
                        s6  2026-11-03 18:00  | daily-3
                        s5  2026-11-03 09:00  | remove
                        s4  2026-11-02 18:00  | remove
                        s3  2026-11-02 09:00  | remove
                        s2  2026-11-01 18:00  | remove
                        s1  2026-11-01 09:00  | remove
                        """),
                table("keep-daily counts days that have snapshots, not calendar days", keep().daily(2), """
                        s3  2026-11-20 10:00  | daily-1
                        s2  2026-11-02 10:00  | daily-2
                        s1  2026-11-01 10:00  | remove
                        """),
                table("keep-daily 7 over 3 days also keeps the oldest snapshot (restic 0.16)", keep().daily(7), """
                        s6  2026-11-03 18:00  | daily-1
                        s5  2026-11-03 09:00  | remove
                        s4  2026-11-02 18:00  | daily-2
                        s3  2026-11-02 09:00  | remove
                        s2  2026-11-01 18:00  | daily-3
                        s1  2026-11-01 09:00  | daily-4
                        """),
                table("keep-hourly across midnight", keep().hourly(3), """
                        s5  2026-11-06 00:40  | hourly-1
                        s4  2026-11-06 00:10  | remove
                        s3  2026-11-05 23:50  | hourly-2
                        s2  2026-11-05 23:05  | remove
                        s1  2026-11-05 22:59  | hourly-3
                        s0  2026-11-05 22:10  | remove
                        """),
                table("keep-hourly: the same hour on two days is two hours", keep().hourly(2), """
                        s3  2026-11-06 10:30  | hourly-1
                        s2  2026-11-05 10:30  | hourly-2
                        s1  2026-11-04 10:30  | remove
                        """),
                table("keep-weekly across the ISO year boundary: 2026-12-31 and 2027-01-01 are in 2026-W53",
                        keep().weekly(3), """
                        s6  2027-01-04 08:00  | weekly-1
                        s5  2027-01-03 20:00  | weekly-2
                        s4  2027-01-01 08:00  | remove
                        s3  2026-12-31 08:00  | remove
                        s2  2026-12-27 08:00  | weekly-3
                        s1  2026-12-20 08:00  | remove
                        """),
                table("keep-yearly on the same snapshots counts calendar years", keep().yearly(2), """
                        s6  2027-01-04 08:00  | yearly-1
                        s5  2027-01-03 20:00  | remove
                        s4  2027-01-01 08:00  | remove
                        s3  2026-12-31 08:00  | yearly-2
                        s2  2026-12-27 08:00  | remove
                        s1  2026-12-20 08:00  | remove
                        """),
                table("keep-monthly skips months without snapshots", keep().monthly(3), """
                        s6  2026-11-20 10:00  | monthly-1
                        s5  2026-11-01 00:00  | remove
                        s4  2026-10-31 23:00  | monthly-2
                        s3  2026-10-01 10:00  | remove
                        s2  2026-08-15 10:00  | monthly-3
                        s1  2026-07-01 10:00  | remove
                        """),
                table("keep-yearly -1 keeps one per year without limit, and the oldest", keep().yearly(-1), """
                        s5  2027-03-01 10:00  | yearly-1
                        s4  2027-01-01 10:00  | remove
                        s3  2026-12-31 10:00  | yearly-2
                        s2  2024-06-01 10:00  | yearly-3
                        s1  2024-01-01 10:00  | yearly-4
                        """),
                table("keep-daily -1 keeps the newest of every day", keep().daily(-1), """
                        s5  2026-11-03 18:00  | daily-1
                        s4  2026-11-03 09:00  | remove
                        s3  2026-11-02 18:00  | daily-2
                        s2  2026-10-02 18:00  | daily-3
                        s1  2026-10-02 09:00  | daily-4
                        """),
                table("keep-last -1 keeps everything", keep().last(-1), """
                        s3  2026-11-03 18:00  | last-1
                        s2  2026-11-03 18:00  | last-2
                        s1  2020-01-01 00:00  | last-3
                        """),
                table("keep-within is measured from the newest snapshot, not from now; the edge is out",
                        keep().within(Duration.ofDays(2)), """
                        s4  2026-11-05 18:00  | within 2d
                        s3  2026-11-03 18:01  | within 2d
                        s2  2026-11-03 18:00  | remove
                        s1  2026-11-01 18:00  | remove
                        """).now("2027-06-01T00:00:00Z"),
                table("keep-within ignores a snapshot from the future as the newest, and keeps it",
                        keep().within(Duration.ofHours(36)), """
                        s4  2030-01-01 00:00  | within 1d12h
                        s3  2026-11-05 18:00  | within 1d12h
                        s2  2026-11-04 07:00  | within 1d12h
                        s1  2026-11-04 06:00  | remove
                        """).now("2026-11-05T20:00:00Z"),
                table("keep-tag keeps snapshots with any of the tags, and lists each", keep().tag("keep", "release"), """
                        s5  2026-11-05 18:00                     | remove
                        s4  2026-11-05 09:00  tags=release,keep  | tag keep, tag release
                        s3  2026-11-04 18:00  tags=other         | remove
                        s2  2026-11-04 09:00  tags=keep          | tag keep
                        s1  2026-11-03 18:00  tags=release       | tag release
                        """),
                table("a snapshot kept by several rules lists them all, in restic's order",
                        keep().last(2).daily(3).weekly(2).within(Duration.ofDays(1)).tag("x"), """
                        s7  2026-11-10 12:00  tags=x  | tag x, within 1d, last-1, daily-1, weekly-1
                        s6  2026-11-10 08:00          | within 1d, last-2
                        s5  2026-11-09 08:00          | daily-2
                        s4  2026-11-08 20:00          | daily-3, weekly-2
                        s3  2026-11-08 10:00          | remove
                        s2  2026-11-01 10:00  tags=x  | tag x
                        s1  2026-10-30 10:00          | remove
                        """),
                table("group by host,paths: each host and set of paths is its own series", keep().last(1), """
                        # backup host=a paths=/etc
                        s3  2026-11-05 10:00  host=a  paths=/etc        | last-1
                        # backup host=a paths=/home
                        s4  2026-11-05 11:00  host=a  paths=/home       | last-1
                        s2  2026-11-04 11:00  host=a  paths=/home       | remove
                        # backup host=a paths=/home,/srv
                        s6  2026-11-02 11:00  host=a  paths=/srv,/home  | last-1
                        s5  2026-11-01 11:00  host=a  paths=/home,/srv  | remove
                        # backup host=b paths=/home
                        s1  2026-11-01 11:00  host=b  paths=/home       | last-1
                        """),
                table("group by host: the paths no longer separate", keep().last(1), """
                        # backup host=a
                        s4  2026-11-05 11:00  host=a  paths=/home       | last-1
                        s3  2026-11-05 10:00  host=a  paths=/etc        | remove
                        s2  2026-11-04 11:00  host=a  paths=/home       | remove
                        s6  2026-11-02 11:00  host=a  paths=/srv,/home  | remove
                        s5  2026-11-01 11:00  host=a  paths=/home,/srv  | remove
                        # backup host=b
                        s1  2026-11-01 11:00  host=b  paths=/home       | last-1
                        """).groupBy("host"),
                table("group by tags", keep().last(1), """
                        # backup tags=
                        s3  2026-11-05 11:00                | last-1
                        # backup tags=a,b
                        s2  2026-11-04 11:00  tags=b,a      | last-1
                        s1  2026-11-03 11:00  tags=a,b,a    | remove
                        """).groupBy("tags"),
                table("kinds are never weighed against each other, even without grouping", keep().daily(1), """
                        # backup
                        s3  2026-11-05 11:00  kind=backup   | daily-1
                        s1  2026-11-05 09:00  kind=backup   | remove
                        # image
                        s2  2026-11-05 10:00  kind=image    | daily-1
                        # volume
                        s4  2026-11-05 12:00  kind=volume   | daily-1
                        """).groupBy(""),
                table("zone UTC: 09:00Z and 12:00Z are one day", keep().daily(2), """
                        s3  2026-11-05 12:00Z  | daily-1
                        s2  2026-11-05 09:00Z  | remove
                        s1  2026-11-04 09:00Z  | daily-2
                        """),
                table("zone Pacific/Auckland: 09:00Z and 12:00Z are 22:00 and 01:00 next day", keep().daily(2), """
                        s3  2026-11-05 12:00Z  | daily-1
                        s2  2026-11-05 09:00Z  | daily-2
                        s1  2026-11-04 09:00Z  | remove
                        """).zone("Pacific/Auckland"),
                table("zone America/New_York: wall-clock hours, so the repeated 01:00 of DST's end is one hour",
                        keep().hourly(5), """
                        s3  2026-11-01 01:40-05:00  | hourly-1
                        s2  2026-11-01 01:30-04:00  | remove
                        s1  2026-11-01 00:30-04:00  | hourly-2
                        """).zone("America/New_York"),
                table("equal times are ordered by id, descending", keep().last(1), """
                        s2  2026-11-05 11:00  | last-1
                        s1  2026-11-05 11:00  | remove
                        """),
                table("an explicit remove-all policy removes everything", RetentionPolicy.removeAll(), """
                        s2  2026-11-05 11:00  | remove
                        s1  2026-11-04 11:00  | remove
                        """));
    }

    @Test
    void apply_noSnapshots_emptyPlan() {
        ForgetPlan plan = Retention.apply(List.of(), RetentionPolicy.builder().last(1).build(), Instant.EPOCH,
                ZoneOffset.UTC);
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.removedIds()).isEmpty();
    }

    @Test
    void apply_inputOrder_doesNotMatter() {
        List<Snapshot> list = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            list.add(Snaps.snapshot("s" + i, Instant.parse("2026-11-01T00:00:00Z").plus(Duration.ofHours(7L * i))));
        }
        RetentionPolicy policy = RetentionPolicy.builder().last(2).daily(3).build();
        ForgetPlan sorted = Retention.apply(list, policy, Instant.EPOCH, ZoneOffset.UTC);
        Collections.reverse(list);
        assertThat(Retention.apply(list, policy, Instant.EPOCH, ZoneOffset.UTC)).isEqualTo(sorted);
    }

    @Test
    void apply_unsavedSnapshot_refused() {
        Snapshot unsaved = Snaps.snapshot("s1", Instant.EPOCH).withId(null);
        assertThatThrownBy(() -> Retention.apply(List.of(unsaved), RetentionPolicy.builder().last(1).build(),
                Instant.EPOCH, ZoneOffset.UTC)).hasMessageContaining("no id");
    }

    @Test
    void apply_sameSnapshotTwice_refused() {
        Snapshot s = Snaps.snapshot("s1", Instant.EPOCH);
        assertThatThrownBy(() -> Retention.apply(List.of(s, s), RetentionPolicy.builder().last(1).build(),
                Instant.EPOCH, ZoneOffset.UTC)).hasMessageContaining("listed twice");
    }

    @Test
    void plan_listsKeptAndRemovedIds() {
        List<Snapshot> list = List.of(Snaps.snapshot("s1", Instant.parse("2026-11-01T00:00:00Z")),
                Snaps.snapshot("s2", Instant.parse("2026-11-02T00:00:00Z")));
        ForgetPlan plan = Retention.apply(list, RetentionPolicy.builder().last(1).build(), Instant.EPOCH,
                ZoneOffset.UTC);
        assertThat(plan.kept()).extracting(Snaps::nameOf).containsExactly("s2");
        assertThat(plan.removedIds()).containsExactly(Snaps.idOf("s1"));
        assertThat(plan.groups().get(0).key()).isEqualTo(new GroupKey(list.get(0).kind(), "laptop",
                List.of("/home"), null));
    }

}
