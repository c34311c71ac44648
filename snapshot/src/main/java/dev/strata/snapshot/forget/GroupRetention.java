package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * restic's retention walk over the snapshots of one group (restic {@code ApplyPolicy}). Stateless,
 * thread-safe.
 */
final class GroupRetention {
    private static final Bucket[] BUCKETS = Bucket.values();

    private GroupRetention() {
    }

    /**
     * Decides for each snapshot of {@code newestFirst}. For every counted rule the walk remembers the
     * bucket of the last snapshot it kept for that rule; a snapshot in a different bucket is kept while
     * the rule's count lasts. The oldest snapshot is kept for every rule whose count is not used up
     * yet, so a short history is kept whole instead of being cut to its newest bucket (restic 0.16).
     */
    static List<Decision> decide(List<Snapshot> newestFirst, RetentionPolicy policy, Instant now, ZoneId zone) {
        int[] left = new int[BUCKETS.length];
        int[] kept = new int[BUCKETS.length];
        long[] lastKept = new long[BUCKETS.length];
        for (Bucket b : BUCKETS) {
            left[b.ordinal()] = policy.count(b);
        }
        Arrays.fill(lastKept, Long.MIN_VALUE);
        Instant anchor = anchor(newestFirst, now);
        String withinReason = policy.keepWithin() == null ? null : "within " + DurationText.format(policy.keepWithin());

        List<Decision> out = new ArrayList<>(newestFirst.size());
        for (int pos = 0; pos < newestFirst.size(); pos++) {
            Snapshot s = newestFirst.get(pos);
            List<String> reasons = new ArrayList<>();
            for (String tag : policy.keepTags()) {
                if (s.tags().contains(tag)) {
                    reasons.add("tag " + tag);
                }
            }
            if (withinReason != null && within(s.time(), anchor, policy.keepWithin())) {
                reasons.add(withinReason);
            }
            ZonedDateTime local = s.time().atZone(zone);
            boolean oldest = pos == newestFirst.size() - 1;
            for (Bucket b : BUCKETS) {
                int i = b.ordinal();
                if (left[i] == 0) {
                    continue;
                }
                long value = b.value(local, pos);
                if (value != lastKept[i] || oldest) {
                    lastKept[i] = value;
                    if (left[i] > 0) {
                        left[i]--;
                    }
                    kept[i]++;
                    reasons.add(b.label() + "-" + kept[i]);
                }
            }
            out.add(new Decision(s, !reasons.isEmpty(), reasons));
        }
        return out;
    }

    /**
     * What {@code keepWithin} is measured from: the newest snapshot that is not after {@code now}, or
     * null when all are. A clock that ran ahead once must not make every real snapshot look old.
     */
    private static Instant anchor(List<Snapshot> newestFirst, Instant now) {
        for (Snapshot s : newestFirst) {
            if (!s.time().isAfter(now)) {
                return s.time();
            }
        }
        return null;
    }

    /** {@code time > anchor - within}, written so that a huge duration cannot overflow. */
    private static boolean within(Instant time, Instant anchor, Duration within) {
        return anchor == null || Duration.between(time, anchor).compareTo(within) < 0;
    }
}
