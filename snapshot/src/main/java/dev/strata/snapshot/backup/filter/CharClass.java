package dev.strata.snapshot.backup.filter;

import java.util.Arrays;

/**
 * A compiled bracket expression of a glob ({@code [a-z]}, {@code [!0-9_]}, {@code [[:alpha:]]}),
 * parsed as git's wildmatch does. Immutable, thread-safe.
 */
final class CharClass {
    /** The POSIX classes git accepts; like git (C locale) they contain ASCII characters only. */
    private static final String[] POSIX = {
        "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"};

    private final boolean negated;
    private final int[] singles;
    private final int[] ranges; // pairs lo, hi (inclusive)
    private final boolean[] posixAscii; // null when no [:class:] is used

    private CharClass(boolean negated, int[] singles, int[] ranges, int posixMask) {
        this.negated = negated;
        this.singles = singles;
        this.ranges = ranges;
        this.posixAscii = posixMask == 0 ? null : posixTable(posixMask);
    }

    /** The result of parsing a bracket expression: the class and the index just past its ']'. */
    record Parsed(CharClass charClass, int end) {}

    /**
     * Parses the bracket expression whose '[' is at {@code open}. Returns null when the expression
     * is unterminated or names an unknown {@code [:class:]}: git never matches such a pattern.
     */
    static Parsed parse(String s, int open) {
        int i = open + 1;
        int n = s.length();
        boolean negated = false;
        if (i < n && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
            negated = true;
            i++;
        }
        IntList singles = new IntList();
        IntList ranges = new IntList();
        int mask = 0;
        int prev = -1; // the previous literal, which may start a range; -1 after a range or class
        boolean first = true;
        while (true) {
            if (i >= n) {
                return null;
            }
            int c = s.codePointAt(i);
            if (c == ']' && !first) {
                return new Parsed(new CharClass(negated, singles.toArray(), ranges.toArray(), mask), i + 1);
            }
            first = false;
            if (c == '\\') {
                i++;
                if (i >= n) {
                    return null;
                }
                c = s.codePointAt(i);
                singles.add(c);
                prev = c;
            } else if (c == '-' && prev >= 0 && i + 1 < n && s.charAt(i + 1) != ']') {
                i++;
                int hi = s.codePointAt(i);
                if (hi == '\\') {
                    i++;
                    if (i >= n) {
                        return null;
                    }
                    hi = s.codePointAt(i);
                }
                ranges.add(prev);
                ranges.add(hi);
                prev = -1;
                c = hi;
            } else if (c == '[' && i + 1 < n && s.charAt(i + 1) == ':') {
                int close = s.indexOf(']', i + 2);
                if (close < 0) {
                    return null;
                }
                if (close - (i + 2) < 1 || s.charAt(close - 1) != ':') {
                    // not "[:name:]": the '[' is an ordinary member, and scanning resumes at ':'
                    singles.add('[');
                    prev = '[';
                } else {
                    int k = Arrays.asList(POSIX).indexOf(s.substring(i + 2, close - 1));
                    if (k < 0) {
                        return null;
                    }
                    mask |= 1 << k;
                    prev = -1;
                    i = close;
                }
            } else {
                singles.add(c);
                prev = c;
            }
            i += Character.charCount(c);
        }
    }

    /** Whether {@code cp} is in the class; ignoring case, a character matches if either of its cases does. */
    boolean matches(int cp, boolean ignoreCase) {
        boolean in = contains(cp);
        if (!in && ignoreCase) {
            int lower = Character.toLowerCase(cp);
            int upper = Character.toUpperCase(cp);
            in = (lower != cp && contains(lower)) || (upper != cp && contains(upper));
        }
        return in != negated;
    }

    private boolean contains(int cp) {
        for (int s : singles) {
            if (s == cp) {
                return true;
            }
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (cp >= ranges[i] && cp <= ranges[i + 1]) {
                return true;
            }
        }
        return posixAscii != null && cp < 128 && posixAscii[cp];
    }

    private static boolean[] posixTable(int mask) {
        boolean[] table = new boolean[128];
        for (int c = 0; c < 128; c++) {
            for (int k = 0; k < POSIX.length; k++) {
                table[c] |= (mask & (1 << k)) != 0 && posixMember(k, c);
            }
        }
        return table;
    }

    private static boolean posixMember(int k, int c) {
        boolean lower = c >= 'a' && c <= 'z';
        boolean upper = c >= 'A' && c <= 'Z';
        boolean digit = c >= '0' && c <= '9';
        boolean graph = c > 32 && c < 127;
        switch (POSIX[k]) {
            case "alnum": return lower || upper || digit;
            case "alpha": return lower || upper;
            case "blank": return c == ' ' || c == '\t';
            case "cntrl": return c < 32 || c == 127;
            case "digit": return digit;
            case "graph": return graph;
            case "lower": return lower;
            case "print": return graph || c == ' ';
            case "punct": return graph && !(lower || upper || digit);
            case "space": return c == ' ' || (c >= '\t' && c <= '\r');
            case "upper": return upper;
            case "xdigit": return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default: throw new AssertionError(POSIX[k]);
        }
    }

    /** A growable int array, enough for parsing. Confined to one thread. */
    private static final class IntList {
        private int[] a = new int[4];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
