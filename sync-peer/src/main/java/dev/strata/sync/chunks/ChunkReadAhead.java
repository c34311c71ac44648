package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads the chunks a batch sends, in their order, on reader threads ahead of the thread that sends
 * them, so that reading a chunk (its pack entry read and decrypted) overlaps with writing the one before
 * to the connection. At most {@link #READERS} chunks are being read at once, and reading ahead stops
 * while the chunks read and not yet taken hold {@code maxBytes} or more: memory stays within
 * {@code maxBytes} plus one chunk per reader. Thread-safe; {@link #next} from one thread at a time.
 */
final class ChunkReadAhead implements AutoCloseable {
    /** Reading is decryption, CPU work: two readers use both cores while the sender writes. */
    static final int READERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    /** Bytes of chunks read and not yet sent, by default. */
    static final long MAX_BYTES_AHEAD = 16L << 20;

    /** The readers of every connection: reading is bounded by cores, not by connections. Threads end when idle. */
    private static final Executor SHARED = sharedReaders();

    /** How one chunk is read: as stored, or its plaintext, as the connection takes it. */
    interface Reader {
        StoredChunk read(ChunkId id) throws IOException;
    }

    private final List<ChunkId> ids;
    private final Reader reader;
    private final Executor pool;
    private final long maxBytes;
    /** Reads started, oldest first; guarded by this. */
    private final ArrayDeque<CompletableFuture<StoredChunk>> ahead = new ArrayDeque<>();
    /** The index of the next chunk to start reading; guarded by this. */
    private int nextToRead;
    /** Reads started and not finished; guarded by this. */
    private int reading;
    /** Bytes of chunks read and not yet taken; guarded by this. */
    private long held;
    private boolean closed;

    ChunkReadAhead(List<ChunkId> ids, Reader reader, long maxBytes) {
        this(ids, reader, maxBytes, SHARED);
    }

    ChunkReadAhead(List<ChunkId> ids, Reader reader, long maxBytes, Executor pool) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("bytes ahead " + maxBytes);
        }
        this.ids = List.copyOf(ids);
        this.reader = reader;
        this.maxBytes = maxBytes;
        this.pool = pool;
    }

    /** The next chunk, in the order of the ids; waits for its read. Fails as its read failed. */
    StoredChunk next() throws IOException {
        CompletableFuture<StoredChunk> head;
        synchronized (this) {
            startReads();
            head = ahead.poll();
        }
        if (head == null) {
            throw new IllegalStateException("no chunk left to read");
        }
        StoredChunk s;
        try {
            s = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a chunk to send");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reading a chunk to send failed: " + e.getCause(), e.getCause());
        }
        synchronized (this) {
            held -= s.payload().length;
            startReads();
        }
        return s;
    }

    /** Bytes of chunks read and not yet taken. */
    synchronized long held() {
        return held;
    }

    /** Starts reads while a reader is free and the chunks read ahead leave room. */
    private void startReads() {
        while (!closed && nextToRead < ids.size() && reading < READERS && held < maxBytes) {
            ChunkId id = ids.get(nextToRead++);
            reading++;
            CompletableFuture<StoredChunk> f = new CompletableFuture<>();
            ahead.add(f);
            pool.execute(() -> read(id, f));
        }
    }

    private void read(ChunkId id, CompletableFuture<StoredChunk> f) {
        StoredChunk s = null;
        try {
            s = reader.read(id);
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(e);
        } finally {
            synchronized (this) {
                reading--;
                if (s != null) {
                    held += s.payload().length;
                }
                startReads(); // keeps the readers busy while the sender waits on the wire
            }
        }
        if (s != null) {
            f.complete(s);
        }
    }

    /** Starts no more reads; those running finish and are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        ahead.clear();
    }

    private static Executor sharedReaders() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(READERS, READERS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "strata-sync-read-chunks");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
