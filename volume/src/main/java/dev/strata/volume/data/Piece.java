package dev.strata.volume.data;

/**
 * A run of a file's bytes and where they come from: the overlay (written since the last version),
 * the base (the last version's content) or nowhere (zeros: past the base, or in one of its holes).
 */
record Piece(Kind kind, long start, long end) {
    enum Kind { OVERLAY, BASE, ZERO }

    long length() {
        return end - start;
    }
}
