package dev.strata.core.backend;

/**
 * The kinds of blob a repository holds, each with its folder and the shape of its names
 * (docs/format.md §1). Names are validated against that shape, so a name read from a listing or a
 * damaged repository can never point outside its folder.
 */
public enum BlobType {
    CONFIG("", 0),
    KEY("keys", 32),
    PACK("data", 64),
    SNAPSHOT("snapshots", 64),
    LOCK("locks", 32),
    CONDEMNED("condemned", 32),
    LEASE("leases", 32),
    INDEX("index", 64);

    private final String folder;
    private final int hexNameLength;

    BlobType(String folder, int hexNameLength) {
        this.folder = folder;
        this.hexNameLength = hexNameLength;
    }

    /** The folder under the repository root; empty for the config, which sits at the root. */
    public String folder() {
        return folder;
    }

    /** The number of hex digits in a name of this type; 0 for the config, whose name is fixed. */
    public int hexNameLength() {
        return hexNameLength;
    }
}
