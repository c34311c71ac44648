package dev.strata.snapshot.backup.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob for one path component ({@code *.tmp}, {@code [Tt]humbs.db}, {@code foo\*}), compiled
 * once. {@code *} matches any run of characters, {@code ?} one character, brackets one character of a
 * class, a backslash quotes the next character; runs of stars act as one star (a whole-component
 * {@code **} is handled by {@link IgnorePattern}). Common shapes (literal, {@code *x}, {@code x*},
 * {@code *x*}) take a fast path. Immutable, thread-safe.
 */
final class Glob {
    private enum Kind { NEVER, LITERAL, ANY, PREFIX, SUFFIX, CONTAINS, GENERAL }

    private static final int STAR = -1;
    private static final int ONE = -2;
    private static final int FIRST_CLASS = -3; // ops <= this are classes[FIRST_CLASS - op]

    static final Glob NEVER = new Glob(Kind.NEVER, "", false, null, null);

    private final Kind kind;
    private final String literal;
    private final boolean ignoreCase;
    private final int[] ops; // literal code points (folded when ignoring case), STAR, ONE or a class
    private final CharClass[] classes;

    private Glob(Kind kind, String literal, boolean ignoreCase, int[] ops, CharClass[] classes) {
        this.kind = kind;
        this.literal = literal;
        this.ignoreCase = ignoreCase;
        this.ops = ops;
        this.classes = classes;
    }

    /** Compiles one component's glob; a malformed one (dangling backslash, unclosed bracket) never matches. */
    static Glob compile(String glob, boolean ignoreCase) {
        List<Integer> ops = new ArrayList<>();
        List<CharClass> classes = new ArrayList<>();
        int i = 0;
        while (i < glob.length()) {
            int c = glob.codePointAt(i);
            if (c == '\\') {
                if (i + 1 >= glob.length()) {
                    return NEVER;
                }
                c = glob.codePointAt(i + 1);
                ops.add(c);
                i += 1 + Character.charCount(c);
            } else if (c == '*') {
                if (ops.isEmpty() || ops.get(ops.size() - 1) != STAR) {
                    ops.add(STAR);
                }
                i++;
            } else if (c == '?') {
                ops.add(ONE);
                i++;
            } else if (c == '[') {
                CharClass.Parsed parsed = CharClass.parse(glob, i);
                if (parsed == null) {
                    return NEVER;
                }
                ops.add(FIRST_CLASS - classes.size());
                classes.add(parsed.charClass());
                i = parsed.end();
            } else {
                ops.add(c);
                i += Character.charCount(c);
            }
        }
        return shape(ops, classes, ignoreCase);
    }

    private static Glob shape(List<Integer> ops, List<CharClass> classes, boolean ignoreCase) {
        int n = ops.size();
        int stars = 0;
        boolean simple = true;
        for (int op : ops) {
            stars += op == STAR ? 1 : 0;
            simple &= op >= 0 || op == STAR;
        }
        if (simple) {
            boolean lead = n > 0 && ops.get(0) == STAR;
            boolean trail = n > 1 && ops.get(n - 1) == STAR;
            if (stars == 0) {
                return new Glob(Kind.LITERAL, literal(ops, 0, n), ignoreCase, null, null);
            } else if (stars == 1 && n == 1) {
                return new Glob(Kind.ANY, "", ignoreCase, null, null);
            } else if (stars == 1 && lead) {
                return new Glob(Kind.SUFFIX, literal(ops, 1, n), ignoreCase, null, null);
            } else if (stars == 1 && trail) {
                return new Glob(Kind.PREFIX, literal(ops, 0, n - 1), ignoreCase, null, null);
            } else if (stars == 2 && lead && trail) {
                return new Glob(Kind.CONTAINS, literal(ops, 1, n - 1), ignoreCase, null, null);
            }
        }
        int[] compiled = new int[n];
        for (int k = 0; k < n; k++) {
            int op = ops.get(k);
            compiled[k] = op >= 0 && ignoreCase ? fold(op) : op;
        }
        return new Glob(Kind.GENERAL, "", ignoreCase, compiled, classes.toArray(new CharClass[0]));
    }

    private static String literal(List<Integer> ops, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            sb.appendCodePoint(ops.get(k));
        }
        return sb.toString();
    }

    /** Whether the glob is a single star: it matches every name. */
    boolean matchesEverything() {
        return kind == Kind.ANY;
    }

    boolean matches(String name) {
        switch (kind) {
            case LITERAL:
                return ignoreCase ? name.equalsIgnoreCase(literal) : name.equals(literal);
            case ANY:
                return true;
            case PREFIX:
                return name.regionMatches(ignoreCase, 0, literal, 0, literal.length());
            case SUFFIX:
                return name.length() >= literal.length()
                        && name.regionMatches(ignoreCase, name.length() - literal.length(), literal, 0, literal.length());
            case CONTAINS:
                return contains(name);
            case GENERAL:
                return matchGeneral(name);
            default:
                return false;
        }
    }

    private boolean contains(String name) {
        if (!ignoreCase) {
            return name.contains(literal);
        }
        for (int at = 0; at + literal.length() <= name.length(); at++) {
            if (name.regionMatches(true, at, literal, 0, literal.length())) {
                return true;
            }
        }
        return false;
    }

    /** Classic single-backtrack wildcard matching: a star only ever needs to retry from its last start. */
    private boolean matchGeneral(String s) {
        int p = 0;
        int t = 0;
        int afterStar = -1;
        int starT = 0;
        int n = s.length();
        while (t < n) {
            if (p < ops.length) {
                int op = ops[p];
                if (op == STAR) {
                    afterStar = ++p;
                    starT = t;
                    continue;
                }
                int cp = s.codePointAt(t);
                if (matchOne(op, cp)) {
                    p++;
                    t += Character.charCount(cp);
                    continue;
                }
            }
            if (afterStar < 0) {
                return false;
            }
            starT += Character.charCount(s.codePointAt(starT));
            t = starT;
            p = afterStar;
        }
        while (p < ops.length && ops[p] == STAR) {
            p++;
        }
        return p == ops.length;
    }

    private boolean matchOne(int op, int cp) {
        if (op >= 0) {
            return op == (ignoreCase ? fold(cp) : cp);
        }
        return op == ONE || classes[FIRST_CLASS - op].matches(cp, ignoreCase);
    }

    /** Case folding as String.equalsIgnoreCase does it, per code point. */
    private static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }
}
