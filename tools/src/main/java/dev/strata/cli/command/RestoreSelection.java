package dev.strata.cli.command;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.snapshot.backup.filter.IgnorePattern;
import dev.strata.snapshot.backup.filter.IgnoreRules;
import dev.strata.snapshot.restore.Selection;

import java.util.List;

/**
 * Which snapshot paths a restore writes, from --include and --exclude patterns (gitignore syntax,
 * anchored at the snapshot's root when they start with /). An excluded folder is skipped whole; with
 * includes, only matches and everything below them are written, and folders are created only when
 * something inside them is. Immutable.
 */
final class RestoreSelection implements Selection {
    private final IgnoreRules includes;
    private final IgnoreRules excludes;

    private RestoreSelection(IgnoreRules includes, IgnoreRules excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    static RestoreSelection of(List<String> includes, List<String> excludes) throws UserFacingException {
        return new RestoreSelection(rules(includes, "--include"), rules(excludes, "--exclude"));
    }

    /** @throws UserFacingException (usage) for an empty or malformed pattern, which would otherwise match nothing */
    private static IgnoreRules rules(List<String> patterns, String source) throws UserFacingException {
        for (String p : patterns) {
            try {
                IgnorePattern.commandLine(p, false);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(ExitCode.USAGE, source + ": " + e.getMessage());
            }
        }
        return patterns.isEmpty() ? IgnoreRules.EMPTY : IgnoreRules.parseExcludeFile(String.join("\n", patterns), source, false);
    }

    @Override
    public boolean enter(String dirPath) {
        String rel = relative(dirPath);
        return rel.isEmpty() || excludes.isEmpty() || !excludes.isExcluded(rel, true);
    }

    @Override
    public boolean includes(String path, boolean isDirectory) {
        String rel = relative(path);
        if (rel.isEmpty()) {
            return true;
        }
        if (!excludes.isEmpty() && excludes.isExcluded(rel, isDirectory)) {
            return false;
        }
        return includes.isEmpty() || includes.isExcluded(rel, isDirectory);
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
