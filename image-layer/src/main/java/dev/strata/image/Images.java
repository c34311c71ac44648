package dev.strata.image;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotFilter;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSelector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds image snapshots by image name. The name lives in the image description (not in the
 * snapshot's paths, which hold the source device), and names are repository-wide: the parent of a
 * new image is the latest image of that name, whichever host took it. Stateless.
 */
public final class Images {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    private Images() {
    }

    /** Whether a name is usable as an image name (and as a folder name in the mount). */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The image name of an image snapshot, or empty for other snapshots. */
    public static Optional<String> nameOf(Snapshot s) {
        if (s.kind() != SnapshotKind.IMAGE || s.extra() == null) {
            return Optional.empty();
        }
        String n = s.extra().path("name").asText("");
        return n.isEmpty() ? Optional.empty() : Optional.of(n);
    }

    /** The image snapshots called {@code name}, oldest first ({@code all} is oldest first). */
    public static List<Snapshot> named(List<Snapshot> all, String name) {
        List<Snapshot> out = new ArrayList<>();
        for (Snapshot s : all) {
            if (nameOf(s).filter(name::equals).isPresent()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The image snapshot a command line names: {@code NAME} (its latest) or {@code NAME:ID}. */
    public static Snapshot select(List<Snapshot> all, String spec) throws IOException {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String which = colon < 0 ? "latest" : spec.substring(colon + 1);
        List<Snapshot> named = named(all, name);
        if (named.isEmpty()) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "there is no image called '" + name + "'");
        }
        return SnapshotSelector.select(named, which, SnapshotFilter.ANY);
    }
}
