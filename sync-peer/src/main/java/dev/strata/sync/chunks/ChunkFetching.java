package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.FetchMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.MessageType;
import dev.strata.sync.wire.SpaceId;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One chunk read from a peer on demand (docs/sync.md, "What a peer has"): the asking side's
 * {@link #fetch}, which recomputes the id of what comes under the space's key and takes nothing else,
 * and the serving side's {@link #serve}, which reads the chunk from a space the asker may use.
 * Stateless; thread-safe.
 */
public final class ChunkFetching {
    private ChunkFetching() {
    }

    /** Whether connection {@code c} speaks a protocol that can fetch. */
    public static boolean canFetch(PeerConnection c) {
        return c.version() >= FetchMessages.SINCE_VERSION;
    }

    /**
     * Chunk {@code id} of {@code space} from the peer of {@code c}, checked against its id; fails if the
     * peer refuses, sends other bytes, or does not answer within {@code timeout}.
     */
    public static byte[] fetch(PeerConnection c, ChunkSpace space, ChunkId id, Duration timeout) throws IOException {
        if (!canFetch(c)) {
            throw new IOException("device " + c.peer().shortString() + " speaks protocol " + c.version()
                    + ", which cannot send a single chunk (version " + FetchMessages.SINCE_VERSION + " can)");
        }
        byte[] data;
        try (PeerConnection.Request r = c.request()) {
            c.send(new FetchMessages.Fetch(r.id(), space.id(), id).encode());
            Frame f = r.await(timeout);
            if (f.type() == MessageType.REQUEST_FAILED) {
                throw new IOException("device " + c.peer().shortString() + " did not send chunk " + id.shortString() + ": "
                        + ChunkMessages.RequestFailed.decode(f).reason());
            }
            if (f.type() != MessageType.CHUNK_DATA) {
                throw new FrameException("a " + f.type() + " message in answer to a request for a chunk");
            }
            data = FetchMessages.Fetched.decode(f).data();
        }
        ChunkId actual = space.ids().hash(data);
        if (!actual.equals(id)) {
            throw new IOException("refused chunk " + id.shortString() + " from " + c.peer().shortString()
                    + ": its content does not match its id (the bytes hash to " + actual.shortString() + ")");
        }
        return data;
    }

    /** Answers a peer's request for a chunk: its bytes, or why not. */
    public static void serve(PeerConnection c, Frame f, ChunkSpaces spaces, SyncLog log) throws IOException {
        FetchMessages.Fetch q = FetchMessages.Fetch.decode(f);
        Optional<ChunkSpace> space = spaces.get(q.space(), c.peer());
        if (space.isEmpty()) {
            boolean held = spaces.get(q.space()).isPresent();
            if (held) {
                log.info("refused chunk " + q.id().shortString() + " of space " + q.space() + " to " + c.peer().shortString()
                        + ": it is not shared with that device");
            }
            c.send(new ChunkMessages.RequestFailed(q.request(), held
                    ? "this device does not share space " + q.space() + " with device " + c.peer().shortString()
                    : "this device holds no chunk space " + q.space()).encode());
            return;
        }
        byte[] data;
        try {
            data = space.get().source().read(q.id());
        } catch (IOException e) {
            c.send(new ChunkMessages.RequestFailed(q.request(), "cannot read chunk " + q.id().shortString() + ": "
                    + e.getMessage()).encode());
            return;
        }
        c.send(MessageType.CHUNK_DATA, new FetchMessages.Fetched(q.request(), data).header(), data);
    }
}
