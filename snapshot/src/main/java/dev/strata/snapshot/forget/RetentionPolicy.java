package dev.strata.snapshot.forget;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code strata forget} keeps: the {@code --keep-*} options. A count of 0 leaves that rule out,
 * {@link #UNLIMITED} (-1) keeps one snapshot for every hour, day, ... there is. Immutable.
 *
 * <p>A policy that keeps nothing (all counts 0, no {@code keepWithin}, no tags) is refused unless
 * {@code allowRemoveAll} is set: like restic ("no policy was specified, no snapshots will be removed"),
 * a forgotten option must never turn into "forget everything". Only {@link #removeAll()} builds such a
 * policy; the CLI should offer it behind a loud flag (restic: {@code --unsafe-allow-remove-all}, and
 * only together with a snapshot filter).
 *
 * @param keepWithin keep every snapshot younger than this, measured from the newest snapshot of its
 *                   group (see {@link Retention}); null when not used. A zero duration means not used.
 * @param keepTags   keep every snapshot that has at least one of these tags; iterated in sorted order
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
                              int keepYearly, Duration keepWithin, Set<String> keepTags, boolean allowRemoveAll) {
    /** The count that keeps one snapshot per bucket without limit. */
    public static final int UNLIMITED = -1;

    public RetentionPolicy {
        for (Bucket b : Bucket.values()) {
            int n = count(b, keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly);
            if (n < UNLIMITED) {
                throw new IllegalArgumentException("--keep-" + b.label() + " must be a count >= 0, or -1 for unlimited;"
                        + " got " + n);
            }
        }
        if (keepWithin != null && keepWithin.isNegative()) {
            throw new IllegalArgumentException("--keep-within must not be negative, got " + DurationText.format(keepWithin));
        }
        if (keepWithin != null && keepWithin.isZero()) {
            keepWithin = null;
        }
        TreeSet<String> tags = new TreeSet<>();
        for (String t : keepTags == null ? Set.<String>of() : keepTags) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("--keep-tag needs a non-empty tag");
            }
            tags.add(t);
        }
        keepTags = Collections.unmodifiableSortedSet(tags);
        if (!allowRemoveAll && keepsNothing(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                keepWithin, keepTags)) {
            throw new IllegalArgumentException("no policy was specified, no snapshots will be removed"
                    + " (give at least one --keep-* option)");
        }
    }

    /** The explicit policy that keeps nothing: forget every snapshot it is applied to. */
    public static RetentionPolicy removeAll() {
        return new RetentionPolicy(0, 0, 0, 0, 0, 0, null, Set.of(), true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when no rule keeps anything (only possible with {@code allowRemoveAll}). */
    public boolean isEmpty() {
        return keepsNothing(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, keepTags);
    }

    int count(Bucket b) {
        return count(b, keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly);
    }

    private static int count(Bucket b, int last, int hourly, int daily, int weekly, int monthly, int yearly) {
        return switch (b) {
            case LAST -> last;
            case HOURLY -> hourly;
            case DAILY -> daily;
            case WEEKLY -> weekly;
            case MONTHLY -> monthly;
            case YEARLY -> yearly;
        };
    }

    private static boolean keepsNothing(int last, int hourly, int daily, int weekly, int monthly, int yearly,
                                        Duration within, Set<String> tags) {
        return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
                && within == null && tags.isEmpty();
    }

    /** Builds a policy one option at a time, as the CLI parses them. Confined to one thread. */
    public static final class Builder {
        private int last;
        private int hourly;
        private int daily;
        private int weekly;
        private int monthly;
        private int yearly;
        private Duration within;
        private final Set<String> tags = new TreeSet<>();

        private Builder() {
        }

        public Builder last(int n) {
            last = n;
            return this;
        }

        public Builder hourly(int n) {
            hourly = n;
            return this;
        }

        public Builder daily(int n) {
            daily = n;
            return this;
        }

        public Builder weekly(int n) {
            weekly = n;
            return this;
        }

        public Builder monthly(int n) {
            monthly = n;
            return this;
        }

        public Builder yearly(int n) {
            yearly = n;
            return this;
        }

        public Builder within(Duration d) {
            within = d;
            return this;
        }

        public Builder tag(String... names) {
            tags.addAll(List.of(names));
            return this;
        }

        /** Fails like the constructor, e.g. when nothing was set. */
        public RetentionPolicy build() {
            return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, within, tags, false);
        }
    }
}
