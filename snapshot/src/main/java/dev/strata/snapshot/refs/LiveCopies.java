package dev.strata.snapshot.refs;

import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Tells of every stored copy of a chunk whether it is live, as prune keeps it and stats counts it: the chunk is reachable and this is its
 * primary copy (the one reads use; other copies are duplicates left by concurrent writers or an
 * interrupted repack). One walk of the index in key order beside one pass over the sorted reachable
 * ids: both are sequential, whatever the number of chunks. Stateless.
 */
public final class LiveCopies {
    /** Receives each stored copy with its verdict. */
    @FunctionalInterface
    public interface Visitor {
        void copy(ChunkLocation location, boolean live);
    }

    private LiveCopies() {
    }

    /** Walks every copy; returns how many distinct ids {@code reachable} holds (the index lacks those not live). */
    public static long walk(LmdbIndex index, SortedChunkIds reachable, Visitor visitor) throws IOException {
        try (SortedChunkIds.Cursor marks = reachable.cursor()) {
            index.forEachCopy((location, primary) -> {
                boolean marked;
                try {
                    marked = marks.contains(location.entry().id());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                visitor.copy(location, primary && marked);
            });
            while (marks.next() != null) {
                // the reachable ids past the index's last one, so that all are counted
            }
            return marks.passed();
        } catch (UncheckedIOException e) {
            throw new IOException("read the sorted reachable chunk ids: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
