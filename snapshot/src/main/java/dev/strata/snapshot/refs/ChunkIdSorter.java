package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects chunk ids, in any order and with repeats, into a {@link SortedChunkIds} on disk: ids are
 * sorted in a buffer of bounded size and written out as sorted runs; when the runs grow many, they are
 * merged into one. Memory is the buffer ({@value #BUFFER_IDS} ids, about 18 MiB) and, while merging,
 * one read buffer per run; disk traffic is sequential and linear in the ids added (each id is written
 * once per merge level: once up to {@value #MAX_RUNS} buffers, twice up to {@value #MAX_RUNS} squared).
 * Confined to one thread.
 */
public final class ChunkIdSorter implements AutoCloseable {
    static final int BUFFER_IDS = 1 << 18;
    static final int MAX_RUNS = 64;

    private final Path folder;
    private final int bufferIds;
    private final ChunkId[] buffer;
    private int buffered;
    private final List<Path> runs = new ArrayList<>();
    private int named;
    private boolean finished;

    /** Writes its runs into {@code folder}, which it owns from now on. */
    public ChunkIdSorter(Path folder) {
        this(folder, BUFFER_IDS);
    }

    /** With a chosen buffer size: tests use a small one to get many runs. */
    ChunkIdSorter(Path folder, int bufferIds) {
        if (bufferIds < 1) {
            throw new IllegalArgumentException("a sort buffer holds at least one id, got " + bufferIds);
        }
        this.folder = folder;
        this.bufferIds = bufferIds;
        this.buffer = new ChunkId[bufferIds];
    }

    public void add(ChunkId id) throws IOException {
        if (finished) {
            throw new IllegalStateException("ids added after the sort finished");
        }
        buffer[buffered++] = id;
        if (buffered == bufferIds) {
            spill();
        }
    }

    /** Every id added, sorted and without repeats; the caller closes it, which deletes the folder's runs. */
    public SortedChunkIds finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("the sort finished already");
        }
        spill();
        finished = true;
        return new SortedChunkIds(folder, List.copyOf(runs));
    }

    private void spill() throws IOException {
        if (buffered == 0) {
            return;
        }
        Arrays.sort(buffer, 0, buffered);
        Path run = nextRun();
        try (ChunkIdRun.Writer w = ChunkIdRun.write(run)) {
            for (int i = 0; i < buffered; i++) {
                w.append(buffer[i]);
            }
        }
        Arrays.fill(buffer, 0, buffered, null);
        buffered = 0;
        runs.add(run);
        if (runs.size() >= MAX_RUNS) {
            Path merged = nextRun();
            try (SortedChunkIds all = new SortedChunkIds(folder, List.copyOf(runs));
                 ChunkIdRun.Writer w = ChunkIdRun.write(merged)) {
                all.forEach(w::append);
            }
            runs.clear();
            runs.add(merged);
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
            new SortedChunkIds(folder, List.copyOf(runs)).close();
        }
    }
}
