package dev.strata.volume.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which saved versions of one file a volume keeps, on a staggered plan: every version for a while,
 * then the newest of each hour, then of each day, then of each week. The newest version is always
 * kept. A pure function of the save times, the plan and the present; buckets are UTC.
 *
 * @param everyFor  keep every version this long
 * @param hourlyFor then the newest of each hour, up to this age
 * @param dailyFor  then the newest of each day, up to this age; older: the newest of each ISO week
 */
public record VersionRetention(Duration everyFor, Duration hourlyFor, Duration dailyFor) {
    public static final VersionRetention DEFAULT = new VersionRetention(Duration.ofHours(1), Duration.ofDays(1),
            Duration.ofDays(30));

    public VersionRetention {
        if (everyFor.isNegative() || hourlyFor.compareTo(everyFor) < 0 || dailyFor.compareTo(hourlyFor) < 0) {
            throw new IllegalArgumentException("retention periods must grow: every " + everyFor + ", hourly " + hourlyFor
                    + ", daily " + dailyFor);
        }
    }

    /** The indexes of {@code saved} (any order) to keep at {@code now}. */
    public Set<Integer> keep(List<Instant> saved, Instant now) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> saved.get(b).compareTo(saved.get(a))); // newest first
        Set<Integer> kept = new HashSet<>();
        Set<String> buckets = new HashSet<>();
        boolean first = true;
        for (int i : order) {
            Instant t = saved.get(i);
            Duration age = Duration.between(t, now);
            if (first || age.compareTo(everyFor) <= 0) {
                kept.add(i);
                buckets.add(bucket(t, age));
                first = false;
                continue;
            }
            // Newest first: the first version seen in a bucket is that bucket's newest.
            if (buckets.add(bucket(t, age))) {
                kept.add(i);
            }
        }
        return kept;
    }

    /** Why a version of age {@code age} is kept, or would be: its bucket. */
    private String bucket(Instant t, Duration age) {
        if (age.compareTo(hourlyFor) <= 0) {
            return "h" + t.truncatedTo(ChronoUnit.HOURS);
        }
        LocalDate day = t.atZone(ZoneOffset.UTC).toLocalDate();
        if (age.compareTo(dailyFor) <= 0) {
            return "d" + day;
        }
        return "w" + day.get(IsoFields.WEEK_BASED_YEAR) + "-" + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
