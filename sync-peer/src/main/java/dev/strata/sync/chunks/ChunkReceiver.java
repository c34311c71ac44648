package dev.strata.sync.chunks;

import dev.strata.core.compress.Compressor;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.RequestHandler;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.MessageType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The receiving side of the chunk exchange on one connection: answers which chunks of a space this
 * device lacks, then takes each chunk sent, recomputes its id from its bytes under the space's key and
 * stores it only if the id matches (a chunk that does not match, was not asked for or comes twice is
 * refused and logged), and once the sender is done makes the chunks durable and says how many it
 * stored and which it refused. The messages are read and checked on the connection's reader thread;
 * each chunk is then decoded, verified and stored on {@link ChunkWorkers} (the reader reads on
 * meanwhile, with a bounded number of bytes in flight), and a request's answer goes once its last chunk
 * is done. Requests are confined to the reader thread; what a request has brought ({@link Incoming}) is
 * shared with the workers under its lock.
 */
public final class ChunkReceiver implements RequestHandler {
    /** Requests a peer may have open at once on one connection: each holds the ids it still expects. */
    static final int MAX_OPEN_REQUESTS = 16;
    /** Decodes packed chunks; decoding needs no level, and zstd is the only compression a pack entry has. */
    private static final Compressor DECODER = new ZstdCompressor(ZstdCompressor.DEFAULT_LEVEL);
    private final ChunkSpaces spaces;
    private final SyncLog log;
    private final Map<Integer, Incoming> requests = new HashMap<>();

    /**
     * Chunk bytes a request stores before its chunks are made durable, without waiting for its end: a
     * store that keeps the plaintext of chunks until they are in a pack (a live volume's) holds no more
     * than this of a transfer, however large the sender's batch.
     */
    static final long FLUSH_EVERY_BYTES = 32L << 20;
    private final long flushEvery;
    private final int maxBytesInFlight;
    /** Made at the first chunk: a connection that only asks or answers questions starts no thread. */
    private ChunkWorkers workers;

    public ChunkReceiver(ChunkSpaces spaces, SyncLog log) {
        this(spaces, log, FLUSH_EVERY_BYTES, ChunkWorkers.MAX_BYTES_IN_FLIGHT);
    }

    ChunkReceiver(ChunkSpaces spaces, SyncLog log, long flushEvery) {
        this(spaces, log, flushEvery, ChunkWorkers.MAX_BYTES_IN_FLIGHT);
    }

    ChunkReceiver(ChunkSpaces spaces, SyncLog log, long flushEvery, int maxBytesInFlight) {
        this.spaces = spaces;
        this.log = log;
        this.flushEvery = flushEvery;
        this.maxBytesInFlight = maxBytesInFlight;
    }

    /**
     * What one request of the sender has brought so far. {@link #expected} belongs to the reader thread;
     * {@link #refused}, {@link #pending} and {@link #ended} are guarded by the instance's lock, held only
     * for a moment; the counts by {@link #storing}, which makes storing, counting and flushing one step,
     * so that a flush follows every {@link #flushEvery} bytes stored exactly as with one thread. The
     * reader never waits for {@link #storing}.
     */
    private static final class Incoming {
        final int request;
        final ChunkSpace space;
        final Set<ChunkId> expected;
        final List<ChunkId> refused = new ArrayList<>();
        final Object storing = new Object();
        int stored;
        long bytes;
        /** Of {@link #bytes}, what crossed the wire: less where chunks came compressed. */
        long wireBytes;
        /** Of {@link #bytes}, those stored since the last flush. */
        long unflushed;
        /** Why storing failed; the chunks that follow are dropped and the end is answered with it. */
        volatile String failure;
        /** Chunks handed to the workers and not yet done. */
        int pending;
        /** The sender's end came: the answer goes when nothing is pending. */
        boolean ended;

        Incoming(int request, ChunkSpace space, Set<ChunkId> expected) {
            this.request = request;
            this.space = space;
            this.expected = expected;
        }
    }

    @Override
    public void handle(PeerConnection c, Frame f) throws IOException {
        switch (f.type()) {
            case HAVE_QUERY -> query(c, ChunkMessages.HaveQuery.decode(f));
            case CHUNK -> {
                ChunkMessages.Chunk chunk = ChunkMessages.Chunk.decode(f);
                chunk(c, chunk.request(), chunk.id(), chunk.data(), null);
            }
            case CHUNK_PACKED -> packed(c, f);
            case CHUNKS_END -> end(c, ChunkMessages.ChunksEnd.decode(f));
            default -> throw new FrameException("a " + f.type() + " message this device does not serve");
        }
    }

    private void query(PeerConnection c, ChunkMessages.HaveQuery q) throws IOException {
        if (requests.containsKey(q.request())) {
            throw new FrameException("request " + q.request() + " asked twice");
        }
        if (requests.size() >= MAX_OPEN_REQUESTS) {
            throw new FrameException("more than " + MAX_OPEN_REQUESTS + " chunk requests open at once");
        }
        Optional<ChunkSpace> space = spaces.get(q.space(), c.peer());
        if (space.isEmpty()) {
            if (spaces.get(q.space()).isPresent()) {
                log.info("refused chunks of space " + q.space() + " from " + c.peer().shortString()
                        + ": it is not shared with that device");
                c.send(new ChunkMessages.RequestFailed(q.request(), "this device does not share space " + q.space()
                        + " with device " + c.peer().shortString()).encode());
                return;
            }
            c.send(new ChunkMessages.RequestFailed(q.request(), "this device holds no chunk space " + q.space()).encode());
            return;
        }
        BitSet lacking;
        try {
            lacking = space.get().sink().lacking(q.ids());
        } catch (IOException e) {
            c.send(new ChunkMessages.RequestFailed(q.request(), "cannot look the chunks up: " + e.getMessage()).encode());
            return;
        }
        Set<ChunkId> expected = new HashSet<>();
        lacking.stream().forEach(i -> expected.add(q.ids().get(i)));
        requests.put(q.request(), new Incoming(q.request(), space.get(), expected));
        c.send(new ChunkMessages.HaveAnswer(q.request(), q.ids().size(), lacking).encode());
    }

    /** A chunk in its sender's stored form: decoded on a worker, and stored as it came only once the decoded bytes match its id. */
    private void packed(PeerConnection c, Frame f) throws IOException {
        if (c.version() < ChunkMessages.PackedChunk.SINCE_VERSION) {
            throw new FrameException("a " + MessageType.CHUNK_PACKED + " message on a connection at protocol version " + c.version());
        }
        ChunkMessages.PackedChunk p = ChunkMessages.PackedChunk.decode(f);
        chunk(c, p.request(), p.id(), null, new StoredChunk(p.compression(), p.rawLength(), p.payload()));
    }

    /**
     * Takes one chunk of a request, on the reader thread: {@code data} is its plaintext, or null when it
     * came packed as {@code stored}. A chunk not expected is refused here; the others go to the workers.
     */
    private void chunk(PeerConnection c, int request, ChunkId id, byte[] data, StoredChunk stored) throws IOException {
        Incoming in = requests.get(request);
        if (in == null) {
            throw new FrameException("a chunk for request " + request + ", which asked nothing");
        }
        if (in.failure != null) {
            return;
        }
        if (!in.expected.remove(id)) {
            refuse(c, in, id, "it was not asked for, or came twice");
            return;
        }
        synchronized (in) {
            in.pending++;
        }
        long bytes = data != null ? data.length : (long) stored.payload().length + stored.rawLength();
        if (workers == null) {
            workers = new ChunkWorkers("strata-sync-chunks-" + c.peer().shortString(), maxBytesInFlight);
        }
        try {
            workers.submit(bytes, () -> verifyAndStore(c, in, id, data, stored));
        } catch (IOException | RuntimeException e) {
            synchronized (in) {
                in.pending--;
            }
            throw e;
        }
    }

    /** On a worker: decodes a packed chunk, checks its id, stores it; answers the request if it was its last. */
    private void verifyAndStore(PeerConnection c, Incoming in, ChunkId id, byte[] data, StoredChunk stored) {
        try {
            byte[] plain = verified(c, in, id, data, stored);
            if (plain != null) {
                store(c, in, id, plain, stored);
            }
        } catch (RuntimeException e) {
            synchronized (in.storing) {
                if (in.failure == null) {
                    in.failure = "storing chunk " + id.shortString() + " failed: " + e;
                }
            }
            log.info("storing chunk " + id.shortString() + " from " + c.peer().shortString() + " failed: " + e);
        } finally {
            boolean last;
            synchronized (in) {
                in.pending--;
                last = in.ended && in.pending == 0;
            }
            if (last) {
                answer(c, in);
            }
        }
    }

    /** The chunk's plaintext if it is the chunk its id names; null (and refused) if not. */
    private byte[] verified(PeerConnection c, Incoming in, ChunkId id, byte[] data, StoredChunk stored) {
        byte[] plain = data;
        if (plain == null) {
            try {
                plain = DECODER.decompress(stored.compression(), stored.payload(), 0, stored.payload().length, stored.rawLength());
            } catch (CorruptDataException e) {
                refuse(c, in, id, "its packed bytes do not decode (" + e.getMessage() + ")");
                return null;
            }
        }
        ChunkId actual = in.space.ids().hash(plain);
        if (!actual.equals(id)) {
            refuse(c, in, id, "its content does not match its id (the bytes hash to " + actual.shortString() + ")");
            return null;
        }
        return plain;
    }

    private void store(PeerConnection c, Incoming in, ChunkId id, byte[] plain, StoredChunk stored) {
        synchronized (in.storing) {
            if (in.failure != null) {
                return;
            }
            try {
                if (stored != null) {
                    in.space.sink().storeStored(id, plain, stored);
                } else {
                    in.space.sink().store(id, plain);
                }
                in.unflushed += plain.length;
                if (in.unflushed >= flushEvery) {
                    in.space.sink().flush();
                    in.unflushed = 0;
                }
            } catch (IOException e) {
                // The connection is fine: the request fails, and says why at its end.
                in.failure = "storing chunk " + id.shortString() + " failed: " + e.getMessage();
                log.info(in.failure + " (from " + c.peer().shortString() + ")");
                return;
            }
            in.stored++;
            in.bytes += plain.length;
            in.wireBytes += stored != null ? stored.payload().length : plain.length;
        }
    }

    private void refuse(PeerConnection c, Incoming in, ChunkId id, String why) {
        synchronized (in) {
            in.refused.add(id);
        }
        log.info("refused chunk " + id.shortString() + " from " + c.peer().shortString() + ": " + why);
    }

    private void end(PeerConnection c, ChunkMessages.ChunksEnd end) throws IOException {
        Incoming in = requests.remove(end.request());
        if (in == null) {
            throw new FrameException("the end of request " + end.request() + ", which asked nothing");
        }
        boolean done;
        synchronized (in) {
            in.ended = true;
            done = in.pending == 0;
        }
        if (done && workers != null) {
            workers.submit(0, () -> answer(c, in)); // its flush off the reader thread too
        } else if (done) {
            answer(c, in);
        }
    }

    /**
     * Once the sender's end came and every chunk of the request is done: makes what it stored durable and
     * says so (or why it failed). On the reader thread or the worker that did the last chunk.
     */
    private void answer(PeerConnection c, Incoming in) {
        try {
            c.send(answerFrame(c, in));
        } catch (IOException e) {
            // The connection ended meanwhile; what was stored stays, unreferenced until a later transfer.
            log.info("answering chunk request " + in.request + " of " + c.peer().shortString() + " failed: " + e.getMessage());
        }
    }

    private Frame answerFrame(PeerConnection c, Incoming in) {
        List<ChunkId> refused;
        synchronized (in) {
            refused = List.copyOf(in.refused);
        }
        synchronized (in.storing) {
            if (in.failure != null) {
                return new ChunkMessages.RequestFailed(in.request, in.failure).encode();
            }
            try {
                // Also when this request stored nothing: the chunks it found present may only be held,
                // not yet in a pack (stored by a request whose connection ended first), and the records
                // that follow "stored" may refer to them. A flush with nothing open costs nothing.
                in.space.sink().flush();
                in.unflushed = 0;
            } catch (IOException e) {
                log.info("storing " + in.stored + " chunks from " + c.peer().shortString() + " failed: " + e.getMessage());
                return new ChunkMessages.RequestFailed(in.request, "storing the chunks failed: " + e.getMessage()).encode();
            }
            if (in.stored > 0 || !refused.isEmpty()) {
                log.info("stored " + in.stored + " chunks (" + in.bytes + " bytes"
                        + (in.wireBytes == in.bytes ? "" : ", " + in.wireBytes + " on the wire") + ") from " + c.peer().shortString()
                        + " in space " + in.space.id() + (refused.isEmpty() ? "" : "; refused " + refused.size()));
            }
            return new ChunkMessages.ChunksStored(in.request, in.stored, refused).encode();
        }
    }

    @Override
    public void closed(PeerConnection connection) {
        // Chunks stored without their end are unreferenced: a later flush or prune takes care of them.
        requests.clear();
        if (workers != null) {
            workers.close();
        }
    }
}
