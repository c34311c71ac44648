package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.Id32;
import dev.strata.core.index.RecordSorter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Collects chunk ids, in any order and with repeats, into a {@link SortedChunkIds} on disk: the ids'
 * bytes go through a {@link RecordSorter} (sorted runs of bounded size, merged when they grow many).
 * Memory is the sorter's buffer (about {@value RecordSorter#BUFFER_BYTES} bytes of ids); disk traffic
 * is sequential and linear in the ids added. Confined to one thread.
 */
public final class ChunkIdSorter implements AutoCloseable {
    static final int MAX_RUNS = RecordSorter.MAX_RUNS;

    private final RecordSorter sorter;
    private final byte[] scratch = new byte[Id32.LENGTH];

    /** Writes its runs into {@code folder}, which it owns from now on. */
    public ChunkIdSorter(Path folder) {
        this.sorter = new RecordSorter(folder, Id32.LENGTH);
    }

    /** With a chosen buffer size: tests use a small one to get many runs. */
    ChunkIdSorter(Path folder, int bufferIds) {
        this.sorter = new RecordSorter(folder, Id32.LENGTH, bufferIds);
    }

    public void add(ChunkId id) throws IOException {
        id.copyTo(scratch, 0);
        sorter.add(scratch); // copied into the sorter's buffer: one array serves every id
    }

    /** Every id added, sorted and without repeats; the caller closes it, which deletes the folder's runs. */
    public SortedChunkIds finish() throws IOException {
        return new SortedChunkIds(sorter.finish());
    }

    /** Deletes the runs written so far, unless {@link #finish()} handed them on. Idempotent. */
    @Override
    public void close() throws IOException {
        sorter.close();
    }
}
