package dev.strata.core.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects fixed-length records, in any order and with repeats, into {@link SortedRecords} on disk
 * (an external sort): records are sorted in a buffer of bounded size and written out as sorted runs;
 * when the runs grow many, they are merged into one. The order is that of the records' unsigned
 * bytes, LMDB's order of keys. Memory is the buffer ({@value #BUFFER_RECORDS} records) and, while
 * merging, one read buffer per run; disk traffic is sequential and linear in the records added (each
 * is written once per merge level: once up to {@value #MAX_RUNS} buffers, twice up to
 * {@value #MAX_RUNS} squared). Confined to one thread.
 */
public final class RecordSorter implements AutoCloseable {
    public static final int BUFFER_RECORDS = 1 << 18;
    public static final int MAX_RUNS = 64;

    private final Path folder;
    private final int recordLength;
    private final byte[][] buffer;
    private int buffered;
    private final List<RecordRun> runs = new ArrayList<>();
    private int named;
    private boolean finished;

    /** Writes its runs of {@code recordLength}-byte records into {@code folder}, which it owns from now on. */
    public RecordSorter(Path folder, int recordLength) {
        this(folder, recordLength, BUFFER_RECORDS);
    }

    /** With a chosen buffer size: tests use a small one to get many runs. */
    public RecordSorter(Path folder, int recordLength, int bufferRecords) {
        if (bufferRecords < 1) {
            throw new IllegalArgumentException("a sort buffer holds at least one record, got " + bufferRecords);
        }
        if (recordLength < 1) {
            throw new IllegalArgumentException("a record has at least one byte, got " + recordLength);
        }
        this.folder = folder;
        this.recordLength = recordLength;
        this.buffer = new byte[bufferRecords][];
    }

    /** Adds {@code record}, which the sorter keeps: the caller does not change it afterwards. */
    public void add(byte[] record) throws IOException {
        if (finished) {
            throw new IllegalStateException("records added after the sort finished");
        }
        if (record.length != recordLength) {
            throw new IllegalArgumentException("records here are " + recordLength + " bytes long, got " + record.length);
        }
        buffer[buffered++] = record;
        if (buffered == buffer.length) {
            spill();
        }
    }

    /** Every record added, sorted and without repeats; the caller closes it, which deletes the folder's runs. */
    public SortedRecords finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("the sort finished already");
        }
        spill();
        finished = true;
        return new SortedRecords(folder, recordLength, List.copyOf(runs));
    }

    private void spill() throws IOException {
        if (buffered == 0) {
            return;
        }
        Arrays.sort(buffer, 0, buffered, Arrays::compareUnsigned);
        RecordRun.Writer w = RecordRun.write(nextRun(), recordLength);
        try (w) {
            for (int i = 0; i < buffered; i++) {
                w.append(buffer[i]);
            }
        }
        Arrays.fill(buffer, 0, buffered, null);
        buffered = 0;
        runs.add(w.run());
        if (runs.size() >= MAX_RUNS) {
            RecordRun.Writer merged = RecordRun.write(nextRun(), recordLength);
            try (SortedRecords all = new SortedRecords(folder, recordLength, List.copyOf(runs)); merged) {
                all.forEach(merged::append);
            }
            runs.clear();
            runs.add(merged.run());
        }
    }

    private Path nextRun() {
        return folder.resolve(String.format("run-%06d", named++));
    }

    /** Deletes the runs written so far, unless {@link #finish()} handed them on. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            new SortedRecords(folder, recordLength, List.copyOf(runs)).close();
        }
    }
}
