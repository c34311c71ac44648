package dev.strata.snapshot;

import java.util.Locale;

/** What a snapshot captured. Persisted by name (docs/format.md §11). */
public enum SnapshotKind {
    BACKUP, IMAGE, VOLUME, REPLICA;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SnapshotKind fromJson(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
