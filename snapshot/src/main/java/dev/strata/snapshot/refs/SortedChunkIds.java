package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A set of chunk ids kept on disk as sorted runs ({@link ChunkIdSorter}), read back merged in ascending
 * order of their bytes (unsigned), which is the order LMDB keeps the index in: a walk of the index
 * and a walk of this set advance together, so asking about every chunk of the index costs one
 * sequential read of each. Confined to one thread.
 */
public final class SortedChunkIds implements AutoCloseable {
    /** Receives ids; may fail with an I/O error. */
    @FunctionalInterface
    public interface IdConsumer {
        void accept(ChunkId id) throws IOException;
    }

    private final Path folder;
    private final List<Path> runs;
    private final List<Cursor> open = new ArrayList<>();
    private boolean closed;

    SortedChunkIds(Path folder, List<Path> runs) {
        this.folder = folder;
        this.runs = runs;
    }

    /** Visits every id once, ascending. */
    public void forEach(IdConsumer consumer) throws IOException {
        try (Cursor c = cursor()) {
            for (ChunkId id = c.next(); id != null; id = c.next()) {
                consumer.accept(id);
            }
        }
    }

    /** Those of {@code ids} that this set holds (one pass over it). */
    public java.util.Set<ChunkId> containedOf(java.util.Collection<ChunkId> ids) throws IOException {
        java.util.Set<ChunkId> out = new java.util.HashSet<>();
        try (Cursor c = cursor()) {
            for (ChunkId id : ids.stream().distinct().sorted().toList()) {
                if (c.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** A new pass over the ids, ascending; several may be open at once. */
    public Cursor cursor() throws IOException {
        if (closed) {
            throw new IllegalStateException("the sorted ids were deleted");
        }
        Cursor c = new Cursor(runs);
        open.add(c);
        return c;
    }

    /**
     * One ascending pass over the ids. Besides {@link #next()}, it answers membership for ids asked in
     * ascending order ({@link #contains}), the way a merge with another sorted sequence asks.
     * Confined to one thread.
     */
    public static final class Cursor implements AutoCloseable {
        private final PriorityQueue<ChunkIdRun.Reader> heads =
                new PriorityQueue<>((a, b) -> a.head().compareTo(b.head()));
        private final List<ChunkIdRun.Reader> readers = new ArrayList<>();
        private ChunkId current;
        private boolean started;
        private long passed;

        private Cursor(List<Path> runs) throws IOException {
            try {
                for (Path run : runs) {
                    ChunkIdRun.Reader r = ChunkIdRun.read(run);
                    readers.add(r);
                    if (r.head() != null) {
                        heads.add(r);
                    }
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        /** The next id, greater than every id returned before; null after the last. */
        public ChunkId next() throws IOException {
            started = true;
            ChunkId before = current;
            current = null;
            while (!heads.isEmpty()) {
                ChunkIdRun.Reader r = heads.poll();
                ChunkId id = r.head();
                r.advance();
                if (r.head() != null) {
                    heads.add(r);
                }
                // Runs repeat ids between them; each run alone is strictly ascending.
                if (before == null || id.compareTo(before) > 0) {
                    current = id;
                    passed++;
                    return id;
                }
            }
            return null;
        }

        /**
         * Whether the set holds {@code id}. Each call must ask for an id not less than the one asked
         * before: the cursor moves past smaller ids for good.
         */
        public boolean contains(ChunkId id) throws IOException {
            if (!started) {
                next();
            }
            while (current != null && current.compareTo(id) < 0) {
                next();
            }
            return current != null && current.equals(id);
        }

        /** How many ids this pass has met so far: those {@link #next()} returned or {@link #contains} moved past or onto. */
        public long passed() {
            return passed;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (ChunkIdRun.Reader r : readers) {
                try {
                    r.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            readers.clear();
            heads.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /** Closes every pass still open and deletes the runs, and their folder once it is empty. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Cursor c : open) {
            c.close();
        }
        open.clear();
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        try {
            Files.deleteIfExists(folder);
        } catch (java.nio.file.DirectoryNotEmptyException stillInUse) {
            // A sorter merging runs writes its merged run beside these; the folder goes with the last set.
        }
    }
}
