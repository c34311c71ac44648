package dev.strata.snapshot.backup.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One gitignore-style pattern, compiled once into per-component globs. Immutable, thread-safe.
 *
 * <p>Semantics are git's ({@code man gitignore}): {@code !} negates; a trailing {@code /} matches
 * directories only; a pattern with no other {@code /} matches a name at any depth below the base, a
 * pattern with a {@code /} at the start or in the middle is anchored to the base; {@code **} as a
 * whole component matches any number of directories (at least one when trailing); elsewhere
 * {@code *}, {@code ?} and {@code [...]} never match {@code /}. See {@link IgnoreRules} for lines of a
 * file (comments, trailing spaces) and docs/excludes.md for the few deliberate deviations from git.
 *
 * <p>The base is the directory of the ignore file. Command-line patterns ({@link #commandLine}) have
 * the filesystem root as base, and a relative one matches at any depth: {@code cache/x} behaves as
 * {@code **}{@code /cache/x}, while {@code /home/ana/tmp} names one absolute path.
 */
public final class IgnorePattern {
    private final String text;
    private final String source;
    private final int lineNumber;
    private final boolean negated;
    private final boolean directoryOnly;
    private final Glob basename;   // set for floating single-component patterns
    private final Glob[] segments; // set for anchored patterns; a null element is a '**' component

    private IgnorePattern(String text, String source, int lineNumber, boolean negated, boolean directoryOnly,
                          Glob basename, Glob[] segments) {
        this.text = text;
        this.source = source;
        this.lineNumber = lineNumber;
        this.negated = negated;
        this.directoryOnly = directoryOnly;
        this.basename = basename;
        this.segments = segments;
    }

    /**
     * A pattern given on the command line ({@code --exclude}, {@code --iexclude}): taken verbatim
     * (no comment or trailing-space handling); anchored to the filesystem root when it starts with
     * {@code /}, otherwise matched at any depth.
     *
     * Unlike a line of a file, which git silently never matches when malformed, a typed pattern
     * that is malformed is refused: the person is there to correct it.
     *
     * @throws IllegalArgumentException if the pattern is empty or malformed (an unclosed bracket, an
     *     unknown [:class:], a trailing backslash)
     */
    public static IgnorePattern commandLine(String pattern, boolean ignoreCase) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty exclude pattern");
        }
        IgnorePattern p = compile(pattern, pattern, ignoreCase, true, ignoreCase ? "--iexclude" : "--exclude", 0);
        if (p.malformed()) {
            throw new IllegalArgumentException("malformed pattern '" + pattern
                    + "': an unclosed [, an unknown [:class:] or a trailing backslash");
        }
        return p;
    }

    /** Whether some component failed to compile, so the pattern can never match. */
    private boolean malformed() {
        if (basename != null) {
            return basename == Glob.NEVER;
        }
        for (Glob g : segments) {
            if (g == Glob.NEVER) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses one line of an ignore or exclude file; empty for blank lines, comments and lines that
     * can never match ({@code !} alone).
     *
     * @param commandLineAnchoring true for {@code --exclude-file} lines (anchored like
     *     {@link #commandLine}), false for {@code .strataignore} lines (anchored to its directory)
     */
    static Optional<IgnorePattern> parseLine(String line, boolean ignoreCase, boolean commandLineAnchoring,
                                             String source, int lineNumber) {
        if (line.startsWith("#")) {
            return Optional.empty();
        }
        String body = trimTrailingSpaces(line);
        if (body.isEmpty() || body.equals("!")) {
            return Optional.empty();
        }
        return Optional.of(compile(line, body, ignoreCase, commandLineAnchoring, source, lineNumber));
    }

    private static IgnorePattern compile(String text, String body, boolean ignoreCase, boolean commandLineAnchoring,
                                         String source, int lineNumber) {
        boolean negated = body.startsWith("!");
        String p = negated ? body.substring(1) : body;
        boolean directoryOnly = p.endsWith("/");
        if (directoryOnly) {
            p = p.substring(0, p.length() - 1);
        }
        boolean hasSlash = p.indexOf('/') >= 0;
        boolean leadingSlash = p.startsWith("/");
        if (leadingSlash) {
            p = p.substring(1);
        }
        if (!hasSlash) {
            return new IgnorePattern(text, source, lineNumber, negated, directoryOnly, Glob.compile(p, ignoreCase), null);
        }
        List<String> parts = split(p);
        if (commandLineAnchoring && !leadingSlash) {
            parts.add(0, "**");
        }
        Glob[] segments = new Glob[parts.size()];
        for (int k = 0; k < segments.length; k++) {
            String part = parts.get(k);
            segments[k] = isDoubleStar(part) ? null : Glob.compile(part, ignoreCase);
        }
        return new IgnorePattern(text, source, lineNumber, negated, directoryOnly, null, segments);
    }

    /** git's trim_trailing_spaces: unescaped trailing spaces go, "\ " stays. */
    static String trimTrailingSpaces(String line) {
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (lastSpace < 0) {
                    lastSpace = i;
                }
            } else if (c == '\\') {
                i++;
                if (i >= line.length()) {
                    return line;
                }
                lastSpace = -1;
            } else {
                lastSpace = -1;
            }
        }
        return lastSpace < 0 ? line : line.substring(0, lastSpace);
    }

    /**
     * Splits at '/' the way wildmatch sees components: an escaped "\/" is a separator too, and a
     * '/' inside a bracket expression is not (such a class just never matches a component).
     */
    private static List<String> split(String p) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                if (p.charAt(i + 1) == '/') {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c).append(p.charAt(i + 1));
                }
                i += 2;
            } else if (c == '[') {
                CharClass.Parsed parsed = CharClass.parse(p, i);
                int end = parsed == null ? p.length() : parsed.end(); // unclosed: Glob reports NEVER
                current.append(p, i, end);
                i = end;
            } else if (c == '/') {
                parts.add(current.toString());
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static boolean isDoubleStar(String part) {
        return part.length() >= 2 && part.chars().allMatch(ch -> ch == '*');
    }

    /**
     * Whether the pattern matches the path whose components are {@code dir[from..]} followed by
     * {@code name}, relative to the pattern's base. Negation is not applied here.
     */
    boolean matches(String[] dir, int from, String name, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        if (basename != null) {
            return basename.matches(name);
        }
        int count = dir.length - from + 1;
        Glob last = segments[segments.length - 1];
        if (last != null && !last.matches(name)) {
            return false; // cheap rejection: the last component must match the last glob
        }
        return matchFrom(0, dir, from, 0, count, name);
    }

    private boolean matchFrom(int s, String[] dir, int from, int c, int count, String name) {
        while (s < segments.length) {
            Glob g = segments[s];
            if (g == null) {
                if (s == segments.length - 1) {
                    return count - c >= 1; // a trailing "**" needs something inside
                }
                for (int k = c; k < count; k++) {
                    if (matchFrom(s + 1, dir, from, k, count, name)) {
                        return true;
                    }
                }
                return false;
            }
            if (c >= count || !g.matches(c == count - 1 ? name : dir[from + c])) {
                return false;
            }
            s++;
            c++;
        }
        return c == count;
    }

    /** Whether a match re-includes the path ({@code !pattern}). */
    public boolean negated() {
        return negated;
    }

    public boolean directoryOnly() {
        return directoryOnly;
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    /** Where the pattern comes from: a file path, or the option that gave it. */
    public String source() {
        return source;
    }

    /** The line in {@link #source()}, from 1; 0 for a command-line pattern. */
    public int lineNumber() {
        return lineNumber;
    }

    /** E.g. {@code "/home/ana/.strataignore:3: build/"} or {@code "--exclude *.tmp"}. */
    @Override
    public String toString() {
        return lineNumber > 0 ? source + ":" + lineNumber + ": " + text : source + " " + text;
    }
}
