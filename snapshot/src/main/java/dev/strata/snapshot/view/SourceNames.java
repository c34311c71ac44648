package dev.strata.snapshot.view;

import dev.strata.snapshot.Snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * How snapshots are named in the mounted tree: a source is "what was saved, where"
 * ({@code home-ana-documents@laptop}), a snapshot is its UTC time without colons
 * ({@code 2026-11-26T10-20-30}), so names sort by time and work on every client. Stateless.
 */
public final class SourceNames {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);

    private SourceNames() {
    }

    /** The source of a snapshot: its paths, then "@" and its host. */
    public static String source(Snapshot s) {
        String label = s.paths().stream().map(SourceNames::pathLabel).sorted().collect(Collectors.joining("+"));
        return safe(label + "@" + s.host());
    }

    static String pathLabel(String path) {
        String p = path.replaceAll("^/+", "").replaceAll("/+$", "");
        return p.isEmpty() ? "root" : p.replace('/', '-');
    }

    /** A snapshot time as a name: UTC, to the second, no colons. */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    /** Makes any text a safe single file name. */
    static String safe(String s) {
        String out = s.replace('/', '-').replace('\0', '-').replace(':', '-');
        if (out.isEmpty() || out.equals(".") || out.equals("..")) {
            return "_" + out;
        }
        return out.length() > 200 ? out.substring(0, 200) : out;
    }
}
