package dev.strata.snapshot.restore;

/** What restore does with a file that already exists at the target. */
public enum OverwriteMode {
    /** Rewrite it. */
    ALWAYS,
    /** Keep it when its size and modification time match the snapshot (a resumed restore), else rewrite it. */
    IF_CHANGED,
    /** Keep it. */
    NEVER
}
