package dev.strata.volume.burst;

import dev.strata.volume.burst.BurstDetector.Burst;
import dev.strata.volume.burst.BurstDetector.Change;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables of changes (at a time, to a file, what happened) and the bursts reported: at which change,
 * how many files, and since when.
 */
class BurstDetectorTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:30:00Z");
    private static final Change D = Change.DELETED;
    private static final Change O = Change.OVERWRITTEN;

    /** One row: {@code seconds} after T0, {@code file}, {@code change}. */
    private record Row(double seconds, String file, Change change) {
    }

    /** A burst reported at row {@code row}: its files, deleted, overwritten, and its start in seconds after T0. */
    private record Reported(int row, int files, int deleted, int overwritten, double began) {
    }

    private static Row row(double seconds, String file, Change change) {
        return new Row(seconds, file, change);
    }

    private static List<Reported> run(int files, int windowSeconds, List<Row> rows) {
        BurstDetector d = new BurstDetector(files, Duration.ofSeconds(windowSeconds));
        List<Reported> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Optional<Burst> b = d.changed(r.file, r.change, at(r.seconds));
            if (b.isPresent()) {
                Burst x = b.get();
                assertThat(x.at()).isEqualTo(at(r.seconds));
                out.add(new Reported(i, x.files(), x.deleted(), x.overwritten(),
                        Duration.between(T0, x.began()).toNanos() / 1e9));
            }
        }
        return out;
    }

    private static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9));
    }

    /** {@code n} rows, one every {@code every} seconds from {@code from}, files {@code prefix0…}. */
    private static List<Row> steady(int n, double from, double every, String prefix, Change change) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row(from + i * every, prefix + i, change));
        }
        return rows;
    }

    private static List<Row> concat(List<Row> a, List<Row> b) {
        List<Row> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void fewerFilesThanTheThreshold_isNoBurst() {
        assertThat(run(3, 60, List.of(row(0, "a", D), row(1, "b", D)))).isEmpty();
    }

    @Test
    void theThresholdReached_withinTheWindow_isReportedOnce_atTheChangeThatReachesIt() {
        assertThat(run(3, 60, List.of(row(0, "a", D), row(10, "b", O), row(20, "c", D), row(21, "d", D), row(22, "e", O))))
                .containsExactly(new Reported(2, 3, 2, 1, 0));
    }

    @Test
    void changesFurtherApartThanTheWindow_neverAddUp() {
        // One a minute for an hour: every change is alone in its window.
        assertThat(run(3, 60, steady(60, 0, 60, "f", D))).isEmpty();
        // Two within a window, the third just when the first leaves it.
        assertThat(run(3, 60, List.of(row(0, "a", D), row(30, "b", D), row(60, "c", D)))).isEmpty();
        assertThat(run(3, 60, List.of(row(0, "a", D), row(30, "b", D), row(59.999, "c", D))))
                .containsExactly(new Reported(2, 3, 3, 0, 0));
    }

    @Test
    void oneFileChangedOverAndOver_isOneFile() {
        // A program saving its settings every 100 ms for ten minutes.
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            rows.add(row(i * 0.1, "settings.json", O));
        }
        assertThat(run(3, 60, rows)).isEmpty();
    }

    @Test
    void aBurstThatGoesOn_staysQuiet_untilCalmForAWindow_thenANewBurstWarnsAgain() {
        // 1,000 deletions, one every 10 ms (10 s), a pause shorter than the window, 500 more: one burst.
        List<Row> first = concat(steady(1000, 0, 0.01, "a", D), steady(500, 40, 0.01, "b", D));
        assertThat(run(100, 60, first)).containsExactly(new Reported(99, 100, 100, 0, 0));
        // After a calm of a whole window, the next burst is reported again, from its own start.
        List<Row> again = concat(steady(1000, 0, 0.01, "a", D), steady(200, 9.99 + 60, 0.01, "b", O));
        assertThat(run(100, 60, again)).containsExactly(new Reported(99, 100, 100, 0, 0),
                new Reported(1099, 100, 0, 100, 69.99));
    }

    @Test
    void aChangeOneWindowAfterTheLastOfABurst_isCountedAfresh_notAsPartOfIt() {
        List<Row> rows = concat(steady(3, 0, 1, "a", D), List.of(row(62, "x", D), row(63, "y", D), row(64, "z", D)));
        assertThat(run(3, 60, rows)).containsExactly(new Reported(2, 3, 3, 0, 0), new Reported(5, 3, 3, 0, 62));
    }

    @Test
    void whatAFileLastUnderwent_isWhatItCountsAs() {
        assertThat(run(2, 60, List.of(row(0, "a", O), row(1, "a", D), row(2, "b", O))))
                .containsExactly(new Reported(2, 2, 1, 1, 0));
    }

    @Test
    void theBurstBegins_atItsEarliestChange_butNotAtTheFirstChangeOfAFileChangedAllDay() {
        // "log" changes every 30 s from the start; a burst of 3 other files comes an hour later.
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i <= 120; i++) {
            rows.add(row(i * 30, "log", O));
        }
        rows.addAll(List.of(row(3601, "a", D), row(3602, "b", D)));
        // The log's last change (3600) and the one before (3570) are within a window of the burst.
        assertThat(run(3, 60, rows)).containsExactly(new Reported(122, 3, 2, 1, 3570));
    }

    @Test
    void changesReportedSlightlyOutOfOrder_keepTheirOwnTime_forTheStartOfTheBurst() {
        // A version's save time is read before its change is reported; a deletion elsewhere came between.
        assertThat(run(3, 60, List.of(row(10, "a", D), row(9.5, "b", O), row(11, "c", D))))
                .containsExactly(new Reported(2, 3, 2, 1, 9.5));
    }

    @Test
    void aThresholdOfOne_reportsTheFirstChange() {
        assertThat(run(1, 60, List.of(row(0, "a", D), row(1, "b", D), row(61, "c", D))))
                .containsExactly(new Reported(0, 1, 1, 0, 0), new Reported(2, 1, 1, 0, 61));
    }

    @Test
    void aBurstNeedsAFileAndAWindow() {
        assertThatThrownBy(() -> new BurstDetector(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BurstDetector(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
