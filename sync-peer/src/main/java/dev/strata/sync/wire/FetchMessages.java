package dev.strata.sync.wire;

import dev.strata.core.id.ChunkId;

import java.nio.ByteBuffer;

/**
 * Fetching one chunk of a space from a peer (protocol version 2, docs/sync.md "What a peer has"): a
 * file of {@code peers/} whose chunk this device does not hold is read from the peer. Immutable
 * records; the chunk's bytes are not copied.
 */
public final class FetchMessages {
    /** The first protocol version that carries these messages. */
    public static final int SINCE_VERSION = 2;

    private FetchMessages() {
    }

    /** "Send me chunk {@code id} of {@code space}." */
    public record Fetch(int request, SpaceId space, ChunkId id) {
        public Frame encode() {
            return new Frame(MessageType.CHUNK_FETCH, ByteBuffer.allocate(4 + SpaceId.LENGTH + ChunkId.LENGTH)
                    .putInt(request).put(space.bytes()).put(id.bytes()).array());
        }

        public static Fetch decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            SpaceId space = SpaceId.of(p.bytes(SpaceId.LENGTH, "space"));
            ChunkId id = ChunkId.of(p.bytes(ChunkId.LENGTH, "chunk id"));
            p.end();
            return new Fetch(request, space, id);
        }
    }

    /** The answer: the chunk's plaintext (the asker recomputes its id before it uses a byte). */
    public record Fetched(int request, byte[] data) {
        public byte[] header() {
            return ByteBuffer.allocate(4).putInt(request).array();
        }

        public static Fetched decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            byte[] data = p.rest();
            if (data.length > ChunkMessages.MAX_CHUNK) {
                throw new FrameException("a chunk of " + data.length + " bytes, more than the largest a repository makes ("
                        + ChunkMessages.MAX_CHUNK + ")");
            }
            return new Fetched(request, data);
        }
    }
}
