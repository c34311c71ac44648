package dev.strata.snapshot.forget;

import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * The counted {@code --keep-*} rules and the calendar bucket each one sorts a snapshot into, in the
 * order their reasons are listed (restic's order). Two snapshots share a bucket when their values are
 * equal; values are restic's (YYYYMMDDHH, YYYYMMDD, ISO YYYYWW, YYYYMM, YYYY) read in the zone the
 * caller passes. Immutable.
 */
enum Bucket {
    /** Every snapshot is its own bucket: its position, newest = 0. */
    LAST("last") {
        @Override
        long value(ZonedDateTime t, int position) {
            return position;
        }
    },
    HOURLY("hourly") {
        @Override
        long value(ZonedDateTime t, int position) {
            return DAILY.value(t, position) * 100 + t.getHour();
        }
    },
    DAILY("daily") {
        @Override
        long value(ZonedDateTime t, int position) {
            return MONTHLY.value(t, position) * 100 + t.getDayOfMonth();
        }
    },
    /** The ISO-8601 week and its week-based year: 2027-01-01 (a Friday) is in 2026's week 53. */
    WEEKLY("weekly") {
        @Override
        long value(ZonedDateTime t, int position) {
            return (long) t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }
    },
    MONTHLY("monthly") {
        @Override
        long value(ZonedDateTime t, int position) {
            return YEARLY.value(t, position) * 100 + t.getMonthValue();
        }
    },
    YEARLY("yearly") {
        @Override
        long value(ZonedDateTime t, int position) {
            return t.getYear();
        }
    };

    private final String label;

    Bucket(String label) {
        this.label = label;
    }

    /** The option and reason name: {@code last} for {@code --keep-last} and {@code last-2}. */
    String label() {
        return label;
    }

    /** The bucket of a snapshot taken at {@code t} (in the policy's zone) at {@code position} newest-first. */
    abstract long value(ZonedDateTime t, int position);
}
