package dev.strata.cli.command;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A moment given on the command line, in the forms people have at hand: ISO-8601
 * ({@code 2026-12-06T09:30:00Z}), local time ({@code 2026-12-06 09:30}, seconds optional), a name
 * from the mount ({@code 2026-12-06T09-30-00}, UTC), or an age ({@code 2h ago}, {@code 30m}).
 * Stateless.
 */
final class MomentArg {
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*([smhdw])(\\s+ago)?");
    private static final DateTimeFormatter LOCAL_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter LOCAL_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MOUNT_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");

    private MomentArg() {
    }

    static Instant parse(String text, Instant now, ZoneId zone) throws UserFacingException {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Matcher age = AGE.matcher(s);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException ignored) {
            // not ISO-8601 with a zone; try the others
        }
        for (DateTimeFormatter f : new DateTimeFormatter[]{LOCAL_SECONDS, LOCAL_MINUTES}) {
            try {
                return LocalDateTime.parse(text.trim(), f).atZone(zone).toInstant();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        try {
            return LocalDateTime.parse(text.trim(), MOUNT_NAME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // none fits
        }
        throw new UserFacingException(ExitCode.USAGE, "not a time: '" + text + "' (try 2026-12-06T09:30:00Z, "
                + "'2026-12-06 09:30' local time, 2026-12-06T09-30-00 as the mount names it, or '2h ago')");
    }
}
