package dev.strata.core.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A set of fixed-length records kept on disk as sorted runs ({@link RecordSorter}), read back merged in
 * ascending order of their unsigned bytes, which is the order LMDB keeps its keys in: a walk of a table
 * and a walk of this set advance together, and a table written from it in this order is appended to
 * page after page. Confined to one thread.
 */
public final class SortedRecords implements AutoCloseable {
    /** Receives records; may fail with an I/O error. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(byte[] record) throws IOException;
    }

    private final Path folder;
    private final int recordLength;
    private final List<RecordRun> runs;
    private final List<Cursor> open = new ArrayList<>();
    private boolean closed;

    SortedRecords(Path folder, int recordLength, List<RecordRun> runs) {
        this.folder = folder;
        this.recordLength = recordLength;
        this.runs = runs;
    }

    /** Visits every record once, ascending. */
    public void forEach(RecordConsumer consumer) throws IOException {
        try (Cursor c = cursor()) {
            for (byte[] r = c.next(); r != null; r = c.next()) {
                consumer.accept(r);
            }
        }
    }

    /** A new pass over the records, ascending; several may be open at once. */
    public Cursor cursor() throws IOException {
        if (closed) {
            throw new IllegalStateException("the sorted records were deleted");
        }
        Cursor c = new Cursor(runs, recordLength);
        open.add(c);
        return c;
    }

    /** One ascending pass over the records. Confined to one thread. */
    public static final class Cursor implements AutoCloseable {
        private final PriorityQueue<RecordRun.Reader> heads =
                new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.head(), b.head()));
        private final List<RecordRun.Reader> readers = new ArrayList<>();
        private byte[] current;

        private Cursor(List<RecordRun> runs, int recordLength) throws IOException {
            try {
                for (RecordRun run : runs) {
                    RecordRun.Reader r = run.read(recordLength);
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

        /** The next record, greater than every record returned before; null after the last. */
        public byte[] next() throws IOException {
            byte[] before = current;
            current = null;
            while (!heads.isEmpty()) {
                RecordRun.Reader r = heads.poll();
                byte[] record = r.head();
                r.advance();
                if (r.head() != null) {
                    heads.add(r);
                }
                // Runs repeat records between them; each run alone is strictly ascending.
                if (before == null || Arrays.compareUnsigned(record, before) > 0) {
                    current = record;
                    return record;
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (RecordRun.Reader r : readers) {
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
        for (RecordRun run : runs) {
            Files.deleteIfExists(run.file());
        }
        try {
            Files.deleteIfExists(folder);
        } catch (java.nio.file.DirectoryNotEmptyException stillInUse) {
            // A sorter merging runs writes its merged run beside these; the folder goes with the last set.
        }
    }
}
