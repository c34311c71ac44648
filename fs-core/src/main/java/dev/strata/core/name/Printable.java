package dev.strata.core.name;

/**
 * Shows a name or path to a person on one line and without ambiguity: a byte that is not part of
 * valid UTF-8 appears as {@code \xe9}, control characters as {@code \n}, {@code \t}, {@code \r} or
 * {@code \x01}, C1 controls and the Unicode line and paragraph separators as {@code \\u0085}, and a
 * backslash as {@code \\} (so {@code caf\xe9} can only be the byte 0xE9). Everything else, accented
 * letters, CJK and emoji included, is shown as it is. Stateless, thread-safe.
 *
 * <p>Only for people: logs, warnings, {@code ls}, {@code find}, {@code diff}. Machines get the
 * bytes ({@link NameBytes}).
 */
public final class Printable {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code name} (a string from {@link NameBytes#decode}), escaped for a terminal. */
    public static String of(String name) {
        if (plain(name)) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 16);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                sb.append(c).append(name.charAt(++i));
            } else if (NameBytes.isEscape(c)) {
                hexByte(sb.append("\\x"), c - 0xDC00);
            } else if (Character.isSurrogate(c)) {
                hex4(sb.append("\\u"), c); // from no byte string, but never print half a character
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c == 0x7F) {
                hexByte(sb.append("\\x"), c);
            } else if (needsEscape(c)) {
                hex4(sb.append("\\u"), c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '\\' || c >= 0x7F && (needsEscape(c) || Character.isSurrogate(c))) {
                return false;
            }
        }
        return true;
    }

    /** C1 controls, and separators that end a line in some terminals and editors. */
    private static boolean needsEscape(char c) {
        return c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

    private static void hexByte(StringBuilder sb, int b) {
        sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    private static void hex4(StringBuilder sb, int c) {
        hexByte(sb, c >> 8);
        hexByte(sb, c);
    }
}
