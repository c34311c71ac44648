package dev.strata.core.repo;

import java.util.Locale;

/** How a process uses a repository, and which other uses it tolerates (docs/format.md §7). */
public enum LockMode {
    /** Reading only: any number, alongside one writer. */
    READ,
    /** Adding data: one at a time, alongside readers. */
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
