package dev.strata.snapshot;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the snapshot a command line names: {@code latest} (the newest that matches the filter), a
 * full id, or a unique prefix of one (at least 4 hex digits).
 */
public final class SnapshotSelector {
    private SnapshotSelector() {
    }

    public static Snapshot select(List<Snapshot> all, String spec, SnapshotFilter filter) throws IOException {
        if (spec.equals("latest")) {
            List<Snapshot> matching = filter.apply(all);
            if (matching.isEmpty()) {
                throw new UserFacingException(ExitCode.NOT_FOUND, all.isEmpty()
                        ? "the repository has no snapshots yet" : "no snapshot matches the given host, tag and path");
            }
            return matching.get(matching.size() - 1);
        }
        String prefix = spec.toLowerCase(Locale.ROOT);
        if (prefix.length() < 4 || !prefix.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new UserFacingException(ExitCode.USAGE, "'" + spec + "' is not a snapshot: use 'latest' or an id (at least 4 hex digits)");
        }
        List<Snapshot> found = new ArrayList<>();
        for (Snapshot s : all) {
            if (s.id().toString().startsWith(prefix)) {
                found.add(s);
            }
        }
        if (found.isEmpty()) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "no snapshot with id " + spec);
        }
        if (found.size() > 1) {
            throw new UserFacingException(ExitCode.USAGE, "snapshot id " + spec + " is ambiguous (" + found.size() + " match); give more digits");
        }
        return found.get(0);
    }
}
