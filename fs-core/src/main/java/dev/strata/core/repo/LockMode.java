package dev.strata.core.repo;

import java.util.Locale;

/** How a process uses a repository, and which other uses it tolerates (docs/format.md §7). */
public enum LockMode {
    /** Reading only (restore, mount, check, stats): any number, alongside everything but exclusive. */
    READ,
    /**
     * Adding packs and snapshot records (backup, image create): any number, alongside readers, other
     * appenders and one writer. Pack names are random and the index only ever learns of durable
     * packs, so writers that only add never disturb each other.
     */
    APPEND,
    /** Changing keys, forgetting snapshots, rebuilding the index: one at a time, alongside readers and appenders. */
    WRITE,
    /** Deleting data (prune): alone. */
    EXCLUSIVE;

    public boolean conflictsWith(LockMode other) {
        if (this == EXCLUSIVE || other == EXCLUSIVE) {
            return true;
        }
        return this == WRITE && other == WRITE;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LockMode fromJson(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
