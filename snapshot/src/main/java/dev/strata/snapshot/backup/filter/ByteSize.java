package dev.strata.snapshot.backup.filter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes as the command line takes them ({@code --exclude-larger-than 10M}): a number, maybe
 * with a fraction, and an optional binary unit K, M, G, T or P (powers of 1024, any case, optionally
 * followed by {@code B} or {@code iB}); a bare number or {@code B} means bytes. Stateless, thread-safe.
 */
public final class ByteSize {
    private static final Pattern SYNTAX =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(?:([kmgtp])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "kmgtp";

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} stands for, rounded down: {@code "1024"} → 1024,
     * {@code "500k"} → 512000, {@code "1.5G"} → 1610612736.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms, if it is not a size
     */
    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + text + "\": expected a number of bytes with an"
                    + " optional unit K, M, G, T or P (powers of 1024), e.g. 1024, 500k, 10M, 1.5G");
        }
        BigDecimal value = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        if (m.group(2) != null) {
            int power = UNITS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
            value = value.multiply(BigDecimal.valueOf(1024).pow(power));
        }
        BigDecimal bytes = value.setScale(0, RoundingMode.FLOOR);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("invalid size \"" + text + "\": larger than " + Long.MAX_VALUE + " bytes");
        }
        return bytes.longValueExact();
    }
}
