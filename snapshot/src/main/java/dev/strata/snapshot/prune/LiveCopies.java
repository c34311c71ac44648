package dev.strata.snapshot.prune;

import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.snapshot.refs.SortedChunkIds;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Tells of every stored copy of a chunk whether prune keeps it: the chunk is reachable and this is its
 * primary copy (the one reads use; other copies are duplicates left by concurrent writers or an
 * interrupted repack). One walk of the index in key order beside one pass over the sorted reachable
 * ids: both are sequential, whatever the number of chunks. Stateless.
 */
final class LiveCopies {
    /** Receives each stored copy with its verdict. */
    @FunctionalInterface
    interface Visitor {
        void copy(ChunkLocation location, boolean live);
    }

    private LiveCopies() {
    }

    static void walk(LmdbIndex index, SortedChunkIds reachable, Visitor visitor) throws IOException {
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
        } catch (UncheckedIOException e) {
            throw new IOException("read the sorted reachable chunk ids: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
