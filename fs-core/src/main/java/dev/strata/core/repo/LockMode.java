package dev.strata.core.repo;

import java.util.Locale;

/** How a process uses a repository, and which other uses it tolerates (docs/format.md §7). */
public enum LockMode {
    /** Reading only (restore, mount, stats): any number, alongside everything but exclusive. */
    READ,
    /**
     * Adding packs and snapshot records (backup, image create, live volumes): any number, alongside
     * every mode but exclusive. Pack names are random and the index only ever learns of durable
     * packs, so writers that only add never disturb each other; prune deletes beside them in two
     * phases (docs/format.md §7.1).
     */
    APPEND,
    /** Changing keys, forgetting snapshots, rebuilding the index: one at a time, not during a prune. */
    WRITE,
    /** Written by earlier versions for prune: alone. Kept so that their locks still keep this version out. */
    EXCLUSIVE,
    /** Reading every pack to check it (check): alongside everything but prune, which would delete packs under it. */
    VERIFY,
    /** Deleting data (prune): one at a time, alongside readers and appenders, not beside a check or a write lock. */
    PRUNE;

    public boolean conflictsWith(LockMode other) {
        if (this == EXCLUSIVE || other == EXCLUSIVE) {
            return true;
        }
        return excludes(this, other) || excludes(other, this);
    }

    private static boolean excludes(LockMode a, LockMode b) {
        return switch (a) {
            case WRITE -> b == WRITE || b == PRUNE;
            case PRUNE -> b == PRUNE || b == VERIFY;
            default -> false;
        };
    }

    /**
     * Whether a holder may refer to chunks that no snapshot reaches yet, so that prune must wait
     * until it knows a condemnation (docs/format.md §7.1).
     */
    public boolean refersToChunks() {
        return this == APPEND || this == WRITE;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LockMode fromJson(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
