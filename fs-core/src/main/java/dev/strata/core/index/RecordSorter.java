package dev.strata.core.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects fixed-length records, in any order and with repeats, into {@link SortedRecords} on disk
 * (an external sort): records are copied into a buffer of bounded size, sorted there and written out
 * as sorted runs; when the runs grow many, they are merged into one. The order is that of the records'
 * unsigned bytes, LMDB's order of keys. Memory is the buffer ({@value #BUFFER_BYTES} bytes of records,
 * and a long per record) and, while merging, one read buffer per run; disk traffic is sequential and linear in the records added (each
 * is written once per merge level: once up to {@value #MAX_RUNS} buffers, twice up to
 * {@value #MAX_RUNS} squared). Confined to one thread.
 */
public final class RecordSorter implements AutoCloseable {
    public static final int BUFFER_BYTES = 16 << 20;
    /** A record's place in the buffer takes the low bits of its sort key. */
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    public static final int MAX_RUNS = 64;

    private final Path folder;
    private final int recordLength;
    private final int bufferRecords;
    private final byte[] buffer;
    private final long[] order;
    private int buffered;
    private final List<RecordRun> runs = new ArrayList<>();
    private int named;
    private boolean finished;

    /** Writes its runs of {@code recordLength}-byte records into {@code folder}, which it owns from now on. */
    public RecordSorter(Path folder, int recordLength) {
        this(folder, recordLength, Math.max(1, BUFFER_BYTES / recordLength));
    }

    /** With a chosen buffer size: tests use a small one to get many runs. */
    public RecordSorter(Path folder, int recordLength, int bufferRecords) {
        if (bufferRecords < 1 || bufferRecords > INDEX_MASK + 1) {
            throw new IllegalArgumentException("a sort buffer holds 1 to " + (INDEX_MASK + 1) + " records, got "
                    + bufferRecords);
        }
        if (recordLength < 1) {
            throw new IllegalArgumentException("a record has at least one byte, got " + recordLength);
        }
        this.folder = folder;
        this.recordLength = recordLength;
        this.bufferRecords = bufferRecords;
        this.buffer = new byte[Math.multiplyExact(bufferRecords, recordLength)];
        this.order = new long[bufferRecords];
    }

    /** Adds a copy of {@code record}: the caller may use the array again. */
    public void add(byte[] record) throws IOException {
        if (finished) {
            throw new IllegalStateException("records added after the sort finished");
        }
        if (record.length != recordLength) {
            throw new IllegalArgumentException("records here are " + recordLength + " bytes long, got " + record.length);
        }
        System.arraycopy(record, 0, buffer, buffered * recordLength, recordLength);
        buffered++;
        if (buffered == bufferRecords) {
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
        sortBuffer();
        RecordRun.Writer w = RecordRun.write(nextRun(), recordLength);
        try (w) {
            for (int i = 0; i < buffered; i++) {
                int at = (int) (order[i] & INDEX_MASK) * recordLength;
                w.append(Arrays.copyOfRange(buffer, at, at + recordLength));
            }
        }
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

    /**
     * Puts the records' places in {@link #order} in the order of their bytes. Each place is sorted as a
     * long, the record's first 39 bits above its place, which is a sort of primitives (no comparator, no
     * object per record); records whose first 39 bits are equal (rare for chunk ids, which are uniformly
     * spread, and always for repeats) are then ordered among themselves by all their bytes.
     */
    private void sortBuffer() {
        for (int i = 0; i < buffered; i++) {
            order[i] = prefix(i) << INDEX_BITS | i;
        }
        Arrays.sort(order, 0, buffered);
        int from = 0;
        while (from < buffered) {
            int to = from + 1;
            while (to < buffered && order[to] >>> INDEX_BITS == order[from] >>> INDEX_BITS) {
                to++;
            }
            if (to - from > 1) {
                sortTies(from, to);
            }
            from = to;
        }
    }

    /** The first 39 bits of record {@code i}, unsigned, zero-padded for records shorter than five bytes. */
    private long prefix(int i) {
        long p = 0;
        int at = i * recordLength;
        for (int b = 0; b < 5; b++) {
            p = p << 8 | (b < recordLength ? buffer[at + b] & 0xFF : 0);
        }
        return p >>> 1;
    }

    private void sortTies(int from, int to) {
        Integer[] places = new Integer[to - from];
        for (int k = from; k < to; k++) {
            places[k - from] = (int) (order[k] & INDEX_MASK);
        }
        Arrays.sort(places, (a, b) -> Arrays.compareUnsigned(buffer, a * recordLength, (a + 1) * recordLength,
                buffer, b * recordLength, (b + 1) * recordLength));
        long high = order[from] & ~INDEX_MASK;
        for (int k = from; k < to; k++) {
            order[k] = high | places[k - from];
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
