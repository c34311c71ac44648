package dev.strata.core.view;

/** Who asks for a change: the owner a newly created entry gets. */
public record Caller(long uid, long gid) {
}
