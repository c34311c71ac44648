package dev.strata.snapshot.forget;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code --keep-within} durations: days and hours ({@code 7d}, {@code 36h}, {@code 1d12h}),
 * or ISO-8601 ({@code PT90M}) for anything finer. Stateless, thread-safe.
 *
 * <p>restic also takes years and months ({@code 1y6m}) and counts them on the calendar. A
 * {@link Duration} is exact, so those are refused with a hint instead of being guessed: a restic user's
 * {@code 6m} (six months) must never quietly become six minutes.
 */
public final class DurationText {
    private static final Pattern DAYS_HOURS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?");
    private static final Pattern CALENDAR = Pattern.compile(".*\\d+[ym].*");

    private DurationText() {
    }

    /** Reads {@code 7d}, {@code 12h}, {@code 1d12h} or an ISO-8601 duration; fails with a message for the user. */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("cannot read duration '" + text + "': " + e.getMessage(), e);
            }
        }
        Matcher m = DAYS_HOURS.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            if (CALENDAR.matcher(s).matches()) {
                throw new IllegalArgumentException("cannot read duration '" + text + "': years and months have no"
                        + " fixed length, write days instead (e.g. 180d, 365d)");
            }
            throw new IllegalArgumentException("cannot read duration '" + text + "': write days and hours, e.g."
                    + " 7d, 36h or 1d12h");
        }
        try {
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            return Duration.ofDays(days).plusHours(hours);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long", e);
        }
    }

    /** {@code 7d}, {@code 12h}, {@code 1d12h}, {@code 0h}; ISO-8601 ({@code PT1H30M}) when not whole hours. */
    public static String format(Duration d) {
        if (d.isNegative() || d.toSecondsPart() != 0 || d.toMinutesPart() != 0 || d.toNanosPart() != 0) {
            return d.toString();
        }
        long days = d.toDays();
        int hours = d.toHoursPart();
        if (days == 0) {
            return hours + "h";
        }
        return hours == 0 ? days + "d" : days + "d" + hours + "h";
    }
}
