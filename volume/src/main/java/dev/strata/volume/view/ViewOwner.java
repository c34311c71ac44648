package dev.strata.volume.view;

import dev.strata.core.tree.Timestamp;

/** Who owns the folders that exist only in the view, and the time they show. */
public record ViewOwner(long uid, long gid, Timestamp time) {
}
