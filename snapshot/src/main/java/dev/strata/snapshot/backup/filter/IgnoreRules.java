package dev.strata.snapshot.backup.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of {@link IgnorePattern}s with git's precedence: the last matching pattern
 * decides, and a negated one re-includes. Paths are given relative to the rules' base (the folder of
 * the ignore file; the filesystem root for command-line rules). Immutable, thread-safe.
 */
public final class IgnoreRules {
    public static final IgnoreRules EMPTY = new IgnoreRules(new IgnorePattern[0]);

    private final IgnorePattern[] patterns;

    private IgnoreRules(IgnorePattern[] patterns) {
        this.patterns = patterns;
    }

    public static IgnoreRules of(List<IgnorePattern> patterns) {
        return patterns.isEmpty() ? EMPTY : new IgnoreRules(patterns.toArray(new IgnorePattern[0]));
    }

    /**
     * Parses an ignore file ({@code .strataignore}, {@code .gitignore}): its patterns are anchored
     * to the file's folder. Handles what git does: a UTF-8 byte order mark, CRLF line ends, blank
     * lines, {@code #} comments ({@code \#} for a literal), unescaped trailing spaces.
     *
     * @param source where the text comes from, for {@link IgnorePattern#source()}
     */
    public static IgnoreRules parseIgnoreFile(String text, String source, boolean ignoreCase) {
        return parse(text, source, ignoreCase, false);
    }

    /** Parses an {@code --exclude-file}: same syntax, anchored like command-line patterns. */
    public static IgnoreRules parseExcludeFile(String text, String source, boolean ignoreCase) {
        return parse(text, source, ignoreCase, true);
    }

    private static IgnoreRules parse(String text, String source, boolean ignoreCase, boolean commandLineAnchoring) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<IgnorePattern> out = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                end = body.length();
            }
            int stop = end > start && body.charAt(end - 1) == '\r' ? end - 1 : end;
            lineNumber++;
            IgnorePattern.parseLine(body.substring(start, stop), ignoreCase, commandLineAnchoring, source, lineNumber)
                    .ifPresent(out::add);
            start = end + 1;
        }
        return of(out);
    }

    /** This list followed by {@code later}, whose patterns take precedence. */
    public IgnoreRules then(IgnoreRules later) {
        if (later.patterns.length == 0) {
            return this;
        }
        List<IgnorePattern> all = new ArrayList<>(patterns());
        all.addAll(later.patterns());
        return of(all);
    }

    public boolean isEmpty() {
        return patterns.length == 0;
    }

    public List<IgnorePattern> patterns() {
        return List.of(patterns);
    }

    /**
     * The last pattern matching the path {@code dir[from..] + name}, or null. The hot path of the
     * walk: no allocation, each pattern a few string comparisons.
     */
    IgnorePattern match(String[] dir, int from, String name, boolean isDirectory) {
        for (int i = patterns.length - 1; i >= 0; i--) {
            IgnorePattern p = patterns[i];
            if (p.matches(dir, from, name, isDirectory)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The last pattern matching exactly this path (its parents are not considered).
     *
     * @param relativePath components separated by '/', relative to the base
     */
    public Optional<IgnorePattern> lastMatch(String relativePath, boolean isDirectory) {
        String[] parts = components(relativePath);
        if (parts.length == 0) {
            return Optional.empty();
        }
        String[] dir = Arrays.copyOf(parts, parts.length - 1);
        return Optional.ofNullable(match(dir, 0, parts[parts.length - 1], isDirectory));
    }

    /**
     * Whether the path is excluded as git would decide it: excluded if a parent directory is (a
     * negation cannot re-include a file below an excluded directory), else by its last matching
     * pattern.
     */
    public boolean isExcluded(String relativePath, boolean isDirectory) {
        String[] parts = components(relativePath);
        for (int depth = 0; depth < parts.length; depth++) {
            boolean last = depth == parts.length - 1;
            String[] dir = Arrays.copyOf(parts, depth);
            IgnorePattern p = match(dir, 0, parts[depth], last ? isDirectory : true);
            if (p != null && !p.negated()) {
                return true;
            }
        }
        return false;
    }

    private static String[] components(String relativePath) {
        return Arrays.stream(relativePath.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "IgnoreRules" + patterns();
    }
}
