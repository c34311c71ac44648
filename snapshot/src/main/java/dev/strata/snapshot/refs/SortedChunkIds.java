package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.SortedRecords;

import java.io.IOException;

/**
 * A set of chunk ids kept on disk as sorted runs ({@link ChunkIdSorter}), read back merged in ascending
 * order of their bytes (unsigned, {@link SortedRecords}), which is the order LMDB keeps the index in: a walk of the index
 * and a walk of this set advance together, so asking about every chunk of the index costs one
 * sequential read of each. Confined to one thread.
 */
public final class SortedChunkIds implements AutoCloseable {
    /** Receives ids; may fail with an I/O error. */
    @FunctionalInterface
    public interface IdConsumer {
        void accept(ChunkId id) throws IOException;
    }

    private final SortedRecords records;

    SortedChunkIds(SortedRecords records) {
        this.records = records;
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
        return new Cursor(records.cursor());
    }

    /**
     * One ascending pass over the ids. Besides {@link #next()}, it answers membership for ids asked in
     * ascending order ({@link #contains}), the way a merge with another sorted sequence asks.
     * Confined to one thread.
     */
    public static final class Cursor implements AutoCloseable {
        private final SortedRecords.Cursor records;
        private ChunkId current;
        private boolean started;
        private long passed;

        private Cursor(SortedRecords.Cursor records) {
            this.records = records;
        }

        /** The next id, greater than every id returned before; null after the last. */
        public ChunkId next() throws IOException {
            started = true;
            byte[] next = records.next();
            current = next == null ? null : ChunkId.of(next);
            if (current != null) {
                passed++;
            }
            return current;
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
            records.close();
        }
    }

    /** Closes every pass still open and deletes the runs, and their folder once it is empty. Idempotent. */
    @Override
    public void close() throws IOException {
        records.close();
    }
}
