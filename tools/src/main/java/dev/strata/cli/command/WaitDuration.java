package dev.strata.cli.command;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code --retry-lock}: hours, minutes and seconds as restic writes them ({@code 30s},
 * {@code 5m}, {@code 1h30m}), or ISO-8601 ({@code PT10M}). Stateless, thread-safe.
 */
final class WaitDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern HMS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String s = text.strip();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(s), text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("cannot read duration '" + text + "'");
            }
        }
        Matcher m = HMS.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new CommandLine.TypeConversionException("cannot read duration '" + text
                    + "': write hours, minutes and seconds, e.g. 30s, 5m or 1h30m");
        }
        try {
            Duration d = Duration.ZERO;
            if (m.group(1) != null) {
                d = d.plusHours(Long.parseLong(m.group(1)));
            }
            if (m.group(2) != null) {
                d = d.plusMinutes(Long.parseLong(m.group(2)));
            }
            if (m.group(3) != null) {
                d = d.plusSeconds(Long.parseLong(m.group(3)));
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("duration '" + text + "' is too long");
        }
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new CommandLine.TypeConversionException("duration '" + text + "' is negative");
        }
        return d;
    }
}
