package dev.strata.snapshot.diff;

/** How an entry differs between two snapshots. */
public enum ChangeKind {
    /** Only in the newer snapshot. */
    ADDED("+"),
    /** Only in the older snapshot. */
    REMOVED("-"),
    /** Content (or type) changed. */
    MODIFIED("M"),
    /** Same content, other metadata (mode, owner, times, xattrs). */
    METADATA("U");

    private final String symbol;

    ChangeKind(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
