package dev.strata.image;

import dev.strata.core.chunk.Chunker;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a device's content, given in order as data bytes and holes, into chunk references:
 * data is cut by the content-defined chunker in one continuous stream until a hole ends it, and the
 * chunks are stored on worker threads (id, dedup, compression, encryption) while reading goes on,
 * with the bytes in flight bounded. Confined to one thread (it starts its own workers).
 */
final class SegmentChunker implements AutoCloseable {
    private static final byte[] ZEROS = new byte[1 << 16];

    private final Chunker chunker;
    private final ChunkStore store;
    private final int max;
    private final byte[] buffer;
    private int start;
    private int end;
    private final List<Future<ChunkRef>> refs = new ArrayList<>();
    private final ExecutorService workers;
    private final Semaphore budget;
    private final int budgetBytes;

    SegmentChunker(ChunkStore store, int threads, int inFlightBytes) {
        this.store = store;
        this.chunker = store.chunker();
        this.max = chunker.params().maxSize();
        this.buffer = new byte[2 * max];
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-image-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.budgetBytes = Math.max(inFlightBytes, max);
        this.budget = new Semaphore(budgetBytes);
    }

    /** Appends data bytes to the current stream. */
    void data(byte[] src, int off, int len) throws IOException {
        while (len > 0) {
            if (end == buffer.length) {
                cutWhileFull();
            }
            int n = Math.min(len, buffer.length - end);
            System.arraycopy(src, off, buffer, end, n);
            end += n;
            off += n;
            len -= n;
        }
        cutWhileFull();
    }

    /** Appends zero bytes that are too short to be a hole of their own. */
    void zeros(long count) throws IOException {
        while (count > 0) {
            int n = (int) Math.min(count, ZEROS.length);
            data(ZEROS, 0, n);
            count -= n;
        }
    }

    /** Ends the current stream and adds a hole. */
    void hole(long length) throws IOException {
        if (length <= 0) {
            return;
        }
        finishStream();
        refs.add(CompletableFuture.completedFuture(ChunkRef.hole(length)));
    }

    /** Cuts chunks while a maximum chunk's worth is buffered, so every cut sees enough input. */
    private void cutWhileFull() throws IOException {
        while (end - start >= max) {
            emit(chunker.cut(buffer, start, end - start));
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
    }

    /** Cuts what is buffered: the stream ends here. */
    void finishStream() throws IOException {
        while (end > start) {
            emit(chunker.cut(buffer, start, end - start));
        }
        start = 0;
        end = 0;
    }

    private void emit(int length) throws IOException {
        byte[] chunk = Arrays.copyOfRange(buffer, start, start + length);
        start += length;
        int permits = Math.min(length, budgetBytes);
        try {
            budget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while imaging");
        }
        try {
            refs.add(workers.submit(() -> {
                try {
                    return store.putDataChunk(chunk);
                } finally {
                    budget.release(permits);
                }
            }));
        } catch (RuntimeException e) {
            budget.release(permits);
            throw e;
        }
    }

    /** Waits for every chunk and returns the references in order, adjacent holes merged. */
    List<ChunkRef> finish() throws IOException {
        finishStream();
        List<ChunkRef> out = new ArrayList<>(refs.size());
        for (Future<ChunkRef> f : refs) {
            out.add(await(f));
        }
        return ChunkRef.mergeHoles(out);
    }

    private static ChunkRef await(Future<ChunkRef> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while imaging");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException("storing an image chunk failed", c);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
