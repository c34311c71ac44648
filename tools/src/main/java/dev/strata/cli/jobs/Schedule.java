package dev.strata.cli.jobs;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job (or a repository's prune or check) runs: {@code every 1h}, {@code daily 02:30} or
 * {@code weekly sun 03:00}. Whether a run is due is a pure function of the last run's start and the
 * clock, so a machine that slept through several slots runs once on waking, not once per slot.
 * Immutable; thread-safe.
 */
public sealed interface Schedule {
    /** The earliest instant at which a run is due; {@code lastRun} null (never ran) means due now. */
    Instant next(Instant lastRun, Instant now, ZoneId zone);

    /** Whether a run is due at {@code now}. */
    default boolean due(Instant lastRun, Instant now, ZoneId zone) {
        return !now.isBefore(next(lastRun, now, zone));
    }

    /** The schedule as written in the configuration file. */
    String text();

    /** A run every {@code interval} after the last one's start. */
    record Every(Duration interval) implements Schedule {
        public Every {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
        }

        @Override
        public Instant next(Instant lastRun, Instant now, ZoneId zone) {
            return lastRun == null ? now : lastRun.plus(interval);
        }

        @Override
        public String text() {
            return "every " + Durations.format(interval);
        }
    }

    /** A run at a time of day, on every day or on one day of the week ({@code day} null: daily). */
    record At(DayOfWeek day, LocalTime time) implements Schedule {
        public At {
            Objects.requireNonNull(time, "time");
        }

        /** The first slot after the last run: a run missed while the machine slept is due at once, once. */
        @Override
        public Instant next(Instant lastRun, Instant now, ZoneId zone) {
            if (lastRun == null) {
                return now;
            }
            ZonedDateTime last = lastRun.atZone(zone);
            ZonedDateTime slot = last.toLocalDate().atTime(time).atZone(zone);
            if (day != null) {
                slot = slot.with(TemporalAdjusters.nextOrSame(day));
            }
            if (!slot.isAfter(last)) {
                slot = day == null ? slot.plusDays(1) : slot.plusWeeks(1);
                // A day's slot in a gap of the clock (a DST change) moved forward; put it back in place.
                slot = slot.toLocalDate().atTime(time).atZone(zone);
            }
            return slot.toInstant();
        }

        @Override
        public String text() {
            String hhmm = String.format(Locale.ROOT, "%02d:%02d", time.getHour(), time.getMinute());
            return day == null ? "daily " + hhmm : "weekly " + day.name().substring(0, 3).toLowerCase(Locale.ROOT) + " " + hhmm;
        }
    }

    Pattern EVERY = Pattern.compile("every\\s+(\\S+)");
    Pattern DAILY = Pattern.compile("daily\\s+(\\d{1,2}):(\\d{2})");
    Pattern WEEKLY = Pattern.compile("weekly\\s+(\\p{Alpha}+)\\s+(\\d{1,2}):(\\d{2})");

    /** Parses a schedule; the message of the exception is a complete sentence about {@code text}. */
    static Schedule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = EVERY.matcher(t);
        if (m.matches()) {
            Duration d = Durations.parse(m.group(1));
            if (d == null || d.isZero()) {
                throw new IllegalArgumentException("'" + text + "': the interval must look like 30m, 1h, 6h or 1d12h");
            }
            return new Every(d);
        }
        m = DAILY.matcher(t);
        if (m.matches()) {
            return new At(null, time(text, m.group(1), m.group(2)));
        }
        m = WEEKLY.matcher(t);
        if (m.matches()) {
            return new At(day(text, m.group(1)), time(text, m.group(2), m.group(3)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a schedule: write 'every 1h', 'daily 02:30' or 'weekly sun 03:00'");
    }

    private static LocalTime time(String text, String h, String m) {
        int hour = Integer.parseInt(h);
        int minute = Integer.parseInt(m);
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException("'" + text + "': " + h + ":" + m + " is not a time of day (00:00 to 23:59)");
        }
        return LocalTime.of(hour, minute);
    }

    private static DayOfWeek day(String text, String name) {
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (name.equals(full) || name.equals(full.substring(0, 3))) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "': '" + name + "' is not a day of the week (mon, tue, ... sun)");
    }
}
