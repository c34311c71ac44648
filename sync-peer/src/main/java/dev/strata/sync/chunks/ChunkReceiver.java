package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.RequestHandler;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;

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
    private final ChunkSpaces spaces;
    private final SyncLog log;
    private final Map<Integer, Incoming> requests = new HashMap<>();

    public ChunkReceiver(ChunkSpaces spaces, SyncLog log) {
        this.spaces = spaces;
        this.log = log;
    }

    /** What one request of the sender has brought so far. */
    private static final class Incoming {
        final ChunkSpace space;
        final Set<ChunkId> expected;
        final List<ChunkId> refused = new ArrayList<>();
        int stored;
        long bytes;
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
            case CHUNK -> chunk(c, ChunkMessages.Chunk.decode(f));
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

    private void chunk(PeerConnection c, ChunkMessages.Chunk chunk) throws IOException {
        Incoming in = requests.get(chunk.request());
        if (in == null) {
            throw new FrameException("a chunk for request " + chunk.request() + ", which asked nothing");
        }
        if (in.failure != null) {
            return;
        }
        if (!in.expected.remove(chunk.id())) {
            refuse(c, in, chunk.id(), "it was not asked for, or came twice");
            return;
        }
        ChunkId actual = in.space.ids().hash(chunk.data());
        if (!actual.equals(chunk.id())) {
            refuse(c, in, chunk.id(), "its content does not match its id (the bytes hash to " + actual.shortString() + ")");
            return;
        }
        try {
            in.space.sink().store(chunk.id(), chunk.data());
        } catch (IOException e) {
            // The connection is fine: the request fails, and says why at its end.
            in.failure = "storing chunk " + chunk.id().shortString() + " failed: " + e.getMessage();
            log.info(in.failure + " (from " + c.peer().shortString() + ")");
            return;
        }
        in.stored++;
        in.bytes += chunk.data().length;
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
            if (in.stored > 0) {
                in.space.sink().flush();
            }
        } catch (IOException e) {
            c.send(new ChunkMessages.RequestFailed(end.request(), "storing the chunks failed: " + e.getMessage()).encode());
            log.info("storing " + in.stored + " chunks from " + c.peer().shortString() + " failed: " + e.getMessage());
            return;
        }
        if (in.stored > 0 || !in.refused.isEmpty()) {
            log.info("stored " + in.stored + " chunks (" + in.bytes + " bytes) from " + c.peer().shortString() + " in space "
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
