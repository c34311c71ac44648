package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.MessageType;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of the chunk exchange as a pipeline over one connection: each {@link #offer} asks the
 * peer which chunks of a batch it lacks and sends those, read ahead on reader threads
 * ({@link ChunkReadAhead}), then goes on to the next batch without waiting for the peer to store this
 * one; a thread of the window waits for the answers (CHUNKS_STORED), in the order the batches went, and
 * runs what each batch's caller wants done once its chunks are durable on the peer (a volume sends the
 * records that refer to them). So the wire, the peer's workers and this side's readers work at once.
 *
 * <p>Bounds: at most {@code maxBatches} batches sent and not yet stored, and a new chunk waits while
 * the batches before it hold {@code maxBytes} or more of chunks sent and not stored (the batch being sent
 * may pass the bound alone, as one batch always could). A chunk an earlier batch still in flight sends is
 * not sent again: that batch is stored before this one's follow-up runs, and if it fails, nothing after
 * it runs.
 *
 * <p>{@link #offer} and {@link #drain} are confined to one thread; the follow-ups run on the window's
 * own thread, one at a time, in order. After a failure (the connection ended, a batch refused by the peer,
 * a follow-up that threw) no follow-up runs any more, and {@link #offer} and {@link #drain} throw it.
 */
public final class OfferWindow implements AutoCloseable {
    /** Batches in flight, by default; the receiver takes up to 16 open requests per connection. */
    static final int MAX_BATCHES = 4;
    /** Bytes of chunks sent and not yet stored by the peer, by default: about what its workers hold. */
    static final long MAX_BYTES_UNSTORED = 64L << 20;

    /** What runs once a batch's chunks are stored on the peer, with the peer's account of them. */
    @FunctionalInterface
    public interface Stored {
        void stored(ChunkSender.Report report) throws IOException;
    }

    private final PeerConnection c;
    private final Duration answerTimeout;
    private final int maxBatches;
    private final long maxBytes;
    private final long maxBytesAhead;
    private final ThreadPoolExecutor confirmer;

    // Guarded by this.
    /** Batches offered whose follow-up has not yet run (or been dropped). */
    private int open;
    /** Chunk bytes sent in those batches. */
    private long unstored;
    /** Chunks sent in batches not yet stored, so that a later batch does not send them again. */
    private final Set<ChunkId> inFlight = new HashSet<>();
    /** Chunks of batches stored since the last offer began: forgotten then, as the peer now holds them. */
    private final List<List<ChunkId>> storedSince = new ArrayList<>();
    private IOException failure;
    private boolean closed;

    OfferWindow(PeerConnection c, Duration answerTimeout, int maxBatches, long maxBytes, long maxBytesAhead) {
        if (maxBatches < 1 || maxBytes <= 0) {
            throw new IllegalArgumentException("a window of " + maxBatches + " batches and " + maxBytes + " bytes");
        }
        this.c = c;
        this.answerTimeout = answerTimeout;
        this.maxBatches = maxBatches;
        this.maxBytes = maxBytes;
        this.maxBytesAhead = maxBytesAhead;
        this.confirmer = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "strata-sync-stored-" + c.peer().shortString());
            t.setDaemon(true);
            return t;
        });
        confirmer.allowCoreThreadTimeOut(true);
    }

    /**
     * Sends the peer the chunks of {@code ids} it lacks (at most {@link ChunkMessages#MAX_IDS} distinct
     * ids), then returns; {@code then} runs once the peer has stored them, after the follow-ups of the
     * batches offered before. With no ids, nothing is sent and {@code then} only waits for those. Waits
     * while the window is full.
     */
    public void offer(ChunkSpace space, List<ChunkId> ids, Stored then) throws IOException {
        List<ChunkId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        if (distinct.size() > ChunkMessages.MAX_IDS) {
            throw new IllegalArgumentException(distinct.size() + " ids in one batch, more than " + ChunkMessages.MAX_IDS);
        }
        synchronized (this) {
            awaitRoom(() -> open >= maxBatches, true);
            throwIfFailed();
            open++;
            storedSince.forEach(inFlight::removeAll);
            storedSince.clear();
        }
        if (distinct.isEmpty()) {
            queue(new Batch(null, List.of(), 0, 0, List.of(), 0, then));
            return;
        }
        Batch batch;
        PeerConnection.Request r = c.request();
        try {
            batch = send(r, space, distinct, then);
        } catch (IOException | RuntimeException e) {
            r.close();
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw e;
        }
        queue(batch);
    }

    /**
     * Waits until every batch offered has its answer and its follow-up has run (or, after a failure, was
     * dropped); then throws the window's failure, if any.
     */
    public void drain() throws IOException {
        synchronized (this) {
            awaitRoom(() -> open > 0, false);
            throwIfFailed();
        }
    }

    private Batch send(PeerConnection.Request r, ChunkSpace space, List<ChunkId> ids, Stored then) throws IOException {
        c.send(new ChunkMessages.HaveQuery(r.id(), space.id(), ids).encode());
        ChunkMessages.HaveAnswer answer = ChunkMessages.HaveAnswer.decode(expect(r, MessageType.HAVE_ANSWER));
        if (answer.count() != ids.size()) {
            throw new FrameException("an answer about " + answer.count() + " chunks to a question about " + ids.size());
        }
        BitSet lacking = answer.lacking();
        List<ChunkId> toSend = new ArrayList<>();
        synchronized (this) {
            for (int i = lacking.nextSetBit(0); i >= 0; i = lacking.nextSetBit(i + 1)) {
                if (inFlight.add(ids.get(i))) {
                    toSend.add(ids.get(i));
                }
            }
        }
        boolean packed = c.version() >= ChunkMessages.PackedChunk.SINCE_VERSION;
        ChunkReadAhead.Reader reader = packed ? space.source()::readStored : id -> StoredChunk.plain(space.source().read(id));
        long bytes = 0;
        long wire = 0;
        try (ChunkReadAhead chunks = new ChunkReadAhead(toSend, reader, maxBytesAhead)) {
            for (ChunkId id : toSend) {
                StoredChunk s = chunks.next();
                synchronized (this) {
                    // The batches before this one hold the room: wait for them, never for this one. A batch
                    // begun is finished even after a failure, so that the peer's request ends as it should.
                    long mine = wire;
                    awaitRoom(() -> open > 1 && unstored + mine >= maxBytes, false);
                }
                if (packed) {
                    ChunkMessages.PackedChunk chunk = new ChunkMessages.PackedChunk(r.id(), id, s.compression(),
                            s.rawLength(), s.payload());
                    c.send(MessageType.CHUNK_PACKED, chunk.header(), s.payload());
                } else {
                    c.send(MessageType.CHUNK, new ChunkMessages.Chunk(r.id(), id, s.payload()).header(), s.payload());
                }
                bytes += s.rawLength();
                wire += s.payload().length;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                toSend.forEach(inFlight::remove);
            }
            throw e;
        }
        c.send(new ChunkMessages.ChunksEnd(r.id()).encode());
        synchronized (this) {
            unstored += wire;
        }
        return new Batch(r, ids, lacking.cardinality(), bytes, toSend, wire, then);
    }

    /** One batch sent and awaiting its answer; {@code request} is null for a batch without chunks. */
    private record Batch(PeerConnection.Request request, List<ChunkId> ids, int lacking, long bytes,
                         List<ChunkId> sent, long wire, Stored then) {
    }

    private void queue(Batch b) throws IOException {
        try {
            confirmer.execute(() -> confirm(b));
        } catch (RuntimeException e) {
            if (b.request != null) {
                b.request.close();
            }
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw new IOException("the window of chunks to " + c.peer().shortString() + " is closed", e);
        }
    }

    /**
     * On the window's thread: waits for the batch's answer, then runs its follow-up, unless an earlier
     * batch failed. The answer is awaited even then, so that the request ends as the protocol says and the
     * connection stays usable.
     */
    private void confirm(Batch b) {
        ChunkSender.Report report = null;
        IOException failed = null;
        try {
            if (b.request != null) {
                ChunkMessages.ChunksStored stored = ChunkMessages.ChunksStored.decode(expect(b.request, MessageType.CHUNKS_STORED));
                report = new ChunkSender.Report(b.ids.size(), b.lacking, b.sent.size(), b.bytes, stored.stored(), stored.refused());
            } else {
                report = new ChunkSender.Report(0, 0, 0, 0, 0, List.of());
            }
        } catch (IOException e) {
            failed = e;
        } catch (RuntimeException e) {
            failed = new IOException("the answer to a chunk request of " + c.peer().shortString() + ": " + e, e);
        } finally {
            if (b.request != null) {
                b.request.close();
            }
        }
        synchronized (this) {
            unstored -= b.wire;
            storedSince.add(b.sent);
            if (failure == null && failed != null) {
                failure = failed;
            }
            if (failure != null) {
                report = null;
            }
        }
        try {
            if (report != null) {
                b.then.stored(report);
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("after chunks stored on " + c.peer().shortString() + ": " + e, e));
        } finally {
            synchronized (this) {
                open--;
                notifyAll();
            }
        }
    }

    private synchronized void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private Frame expect(PeerConnection.Request r, MessageType type) throws IOException {
        Frame f = r.await(answerTimeout);
        if (f.type() == MessageType.REQUEST_FAILED) {
            throw new IOException("device " + c.peer().shortString() + " could not take the chunks: "
                    + ChunkMessages.RequestFailed.decode(f).reason());
        }
        if (f.type() != type) {
            throw new FrameException("a " + f.type() + " answer where " + type + " was due");
        }
        return f;
    }

    /**
     * Waits, holding this, while {@code full} holds (and, if {@code stopOnFailure}, no batch has failed).
     * Fails if the window is closed.
     */
    private void awaitRoom(java.util.function.BooleanSupplier full, boolean stopOnFailure) throws IOException {
        while ((failure == null || !stopOnFailure) && !closed && full.getAsBoolean()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for chunks to be stored on " + c.peer().shortString());
            }
        }
        if (closed) {
            throw new IOException("the window of chunks to " + c.peer().shortString() + " is closed");
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs no more follow-ups (a waiting answer is given up: its thread is interrupted). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        confirmer.shutdownNow();
    }
}
