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
 * stored and which it refused. Confined to the connection's reader thread.
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

    public ChunkReceiver(ChunkSpaces spaces, SyncLog log) {
        this(spaces, log, FLUSH_EVERY_BYTES);
    }

    ChunkReceiver(ChunkSpaces spaces, SyncLog log, long flushEvery) {
        this.spaces = spaces;
        this.log = log;
        this.flushEvery = flushEvery;
    }

    /** What one request of the sender has brought so far. */
    private static final class Incoming {
        final ChunkSpace space;
        final Set<ChunkId> expected;
        final List<ChunkId> refused = new ArrayList<>();
        int stored;
        long bytes;
        /** Of {@link #bytes}, what crossed the wire: less where chunks came compressed. */
        long wireBytes;
        /** Of {@link #bytes}, those stored since the last flush. */
        long unflushed;
        /** Why storing failed; the chunks that follow are dropped and the end is answered with it. */
        String failure;

        Incoming(ChunkSpace space, Set<ChunkId> expected) {
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
        requests.put(q.request(), new Incoming(space.get(), expected));
        c.send(new ChunkMessages.HaveAnswer(q.request(), q.ids().size(), lacking).encode());
    }

    /** A chunk in its sender's stored form: decoded here, and stored as it came only once the decoded bytes match its id. */
    private void packed(PeerConnection c, Frame f) throws IOException {
        if (c.version() < ChunkMessages.PackedChunk.SINCE_VERSION) {
            throw new FrameException("a " + MessageType.CHUNK_PACKED + " message on a connection at protocol version " + c.version());
        }
        ChunkMessages.PackedChunk p = ChunkMessages.PackedChunk.decode(f);
        Incoming in = requests.get(p.request());
        if (in == null || in.failure != null || !in.expected.contains(p.id())) {
            chunk(c, p.request(), p.id(), null, null);
            return;
        }
        byte[] plain;
        try {
            plain = DECODER.decompress(p.compression(), p.payload(), 0, p.payload().length, p.rawLength());
        } catch (CorruptDataException e) {
            in.expected.remove(p.id());
            refuse(c, in, p.id(), "its packed bytes do not decode (" + e.getMessage() + ")");
            return;
        }
        chunk(c, p.request(), p.id(), plain, new StoredChunk(p.compression(), p.rawLength(), p.payload()));
    }

    /**
     * Takes one chunk of a request: {@code data} is its plaintext (null for a chunk not looked at, which
     * is then refused or dropped before its bytes count), {@code stored} the form it came in, if packed.
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
        ChunkId actual = in.space.ids().hash(data);
        if (!actual.equals(id)) {
            refuse(c, in, id, "its content does not match its id (the bytes hash to " + actual.shortString() + ")");
            return;
        }
        try {
            if (stored != null) {
                in.space.sink().storeStored(id, data, stored);
            } else {
                in.space.sink().store(id, data);
            }
            in.unflushed += data.length;
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
        in.bytes += data.length;
        in.wireBytes += stored != null ? stored.payload().length : data.length;
    }

    private void refuse(PeerConnection c, Incoming in, ChunkId id, String why) {
        in.refused.add(id);
        log.info("refused chunk " + id.shortString() + " from " + c.peer().shortString() + ": " + why);
    }

    private void end(PeerConnection c, ChunkMessages.ChunksEnd end) throws IOException {
        Incoming in = requests.remove(end.request());
        if (in == null) {
            throw new FrameException("the end of request " + end.request() + ", which asked nothing");
        }
        if (in.failure != null) {
            c.send(new ChunkMessages.RequestFailed(end.request(), in.failure).encode());
            return;
        }
        try {
            if (in.unflushed > 0) {
                in.space.sink().flush();
            }
        } catch (IOException e) {
            c.send(new ChunkMessages.RequestFailed(end.request(), "storing the chunks failed: " + e.getMessage()).encode());
            log.info("storing " + in.stored + " chunks from " + c.peer().shortString() + " failed: " + e.getMessage());
            return;
        }
        if (in.stored > 0 || !in.refused.isEmpty()) {
            log.info("stored " + in.stored + " chunks (" + in.bytes + " bytes"
                    + (in.wireBytes == in.bytes ? "" : ", " + in.wireBytes + " on the wire") + ") from " + c.peer().shortString() + " in space "
                    + in.space.id() + (in.refused.isEmpty() ? "" : "; refused " + in.refused.size()));
        }
        c.send(new ChunkMessages.ChunksStored(end.request(), in.stored, in.refused).encode());
    }

    @Override
    public void closed(PeerConnection connection) {
        // Chunks stored without their end are unreferenced: a later flush or prune takes care of them.
        requests.clear();
    }
}
