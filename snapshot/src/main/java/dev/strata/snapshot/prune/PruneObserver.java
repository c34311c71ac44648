package dev.strata.snapshot.prune;

import dev.strata.core.id.PackId;

/** Watches a prune's stages (progress displays; crash tests that stop it at each stage). */
public interface PruneObserver {
    PruneObserver NONE = new PruneObserver() {
    };

    /**
     * A stage begins: "mark", "plan", "repack", "condemn" (the condemnation is written), "delete", "index"
     * (the index files are rewritten), "cleanup".
     */
    default void stage(String name) {
    }

    /** A pack was written with live chunks moved out of packs that will be deleted. */
    default void packRepacked(PackId from) {
    }

    /** A pack was deleted. */
    default void packDeleted(PackId id) {
    }
}
