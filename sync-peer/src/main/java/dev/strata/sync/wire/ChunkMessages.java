package dev.strata.sync.wire;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The messages of a chunk exchange (docs/sync.md, "Chunk exchange"), each tagged with the request it
 * belongs to. Immutable records; the chunk's bytes are not copied.
 */
public final class ChunkMessages {
    /** The most ids one question may carry (2 MiB of ids). */
    public static final int MAX_IDS = 65_536;
    /** The largest chunk a repository makes (docs/format.md: chunker max 64 MiB). */
    public static final int MAX_CHUNK = 64 << 20;
    static final int MAX_REASON_BYTES = 1024;

    private ChunkMessages() {
    }

    /** "Which of these chunks of {@code space} do you lack?" */
    public record HaveQuery(int request, SpaceId space, List<ChunkId> ids) {
        public HaveQuery {
            if (ids.size() > MAX_IDS) {
                throw new IllegalArgumentException(ids.size() + " ids in one question; at most " + MAX_IDS);
            }
            ids = List.copyOf(ids);
        }

        public Frame encode() {
            ByteBuffer b = ByteBuffer.allocate(4 + SpaceId.LENGTH + 4 + ids.size() * ChunkId.LENGTH).putInt(request)
                    .put(space.bytes()).putInt(ids.size());
            for (ChunkId id : ids) {
                b.put(id.bytes());
            }
            return new Frame(MessageType.HAVE_QUERY, b.array());
        }

        public static HaveQuery decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            SpaceId space = SpaceId.of(p.bytes(SpaceId.LENGTH, "space"));
            int n = p.u32("id count", MAX_IDS);
            List<ChunkId> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(ChunkId.of(p.bytes(ChunkId.LENGTH, "id " + i)));
            }
            p.end();
            return new HaveQuery(request, space, ids);
        }
    }

    /** The answer: one bit per id asked, in order, set where the chunk is lacking. */
    public record HaveAnswer(int request, int count, BitSet lacking) {
        public HaveAnswer {
            if (lacking.length() > count) {
                throw new IllegalArgumentException("a bit beyond the " + count + " ids");
            }
        }

        public Frame encode() {
            byte[] bits = java.util.Arrays.copyOf(lacking.toByteArray(), (count + 7) / 8);
            return new Frame(MessageType.HAVE_ANSWER, ByteBuffer.allocate(8 + bits.length).putInt(request).putInt(count).put(bits).array());
        }

        public static HaveAnswer decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            int count = p.u32("id count", MAX_IDS);
            BitSet bits = BitSet.valueOf(p.bytes((count + 7) / 8, "bits"));
            p.end();
            if (bits.length() > count) {
                throw new FrameException("a " + MessageType.HAVE_ANSWER + " message with bits set past its " + count + " ids");
            }
            return new HaveAnswer(request, count, bits);
        }
    }

    /** One chunk the other side lacked: its id as the sender claims it, and its plaintext. */
    public record Chunk(int request, ChunkId id, byte[] data) {
        /** Written without copying the chunk: a header, then the bytes. */
        public byte[] header() {
            return ByteBuffer.allocate(4 + ChunkId.LENGTH).putInt(request).put(id.bytes()).array();
        }

        public static Chunk decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            ChunkId id = ChunkId.of(p.bytes(ChunkId.LENGTH, "chunk id"));
            byte[] data = p.rest();
            if (data.length > MAX_CHUNK) {
                throw new FrameException("a chunk of " + data.length + " bytes, more than the largest a repository makes ("
                        + MAX_CHUNK + ")");
            }
            return new Chunk(request, id, data);
        }
    }

    /**
     * One chunk the other side lacked, as its sender stores it (protocol version 3): its id as the
     * sender claims it, the compression code and raw length of its pack entry, and the payload in
     * that form. Nothing in it is trusted until the payload is decoded and hashed to the id.
     */
    public record PackedChunk(int request, ChunkId id, CompressionCode compression, int rawLength, byte[] payload) {
        /** The first protocol version that carries it. */
        public static final int SINCE_VERSION = 3;

        /** Written without copying the payload: a header, then the bytes. */
        public byte[] header() {
            return ByteBuffer.allocate(4 + ChunkId.LENGTH + 1 + 4).putInt(request).put(id.bytes())
                    .put((byte) compression.code()).putInt(rawLength).array();
        }

        public static PackedChunk decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            ChunkId id = ChunkId.of(p.bytes(ChunkId.LENGTH, "chunk id"));
            int code = p.u8("compression");
            CompressionCode compression;
            try {
                compression = CompressionCode.fromCode(code);
            } catch (IllegalArgumentException e) {
                throw new FrameException("a packed chunk with " + e.getMessage());
            }
            int rawLength = p.u32("raw length", MAX_CHUNK);
            byte[] payload = p.rest();
            if (compression == CompressionCode.NONE && payload.length != rawLength) {
                throw new FrameException("an uncompressed packed chunk of " + payload.length + " bytes that says it has " + rawLength);
            }
            return new PackedChunk(request, id, compression, rawLength, payload);
        }
    }

    /** The sender has sent every chunk of the request. */
    public record ChunksEnd(int request) {
        public Frame encode() {
            return new Frame(MessageType.CHUNKS_END, ByteBuffer.allocate(4).putInt(request).array());
        }

        public static ChunksEnd decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            p.end();
            return new ChunksEnd(request);
        }
    }

    /** The receiver's account once the chunks are durable: how many it stored, and which it refused. */
    public record ChunksStored(int request, int stored, List<ChunkId> refused) {
        public ChunksStored {
            refused = List.copyOf(refused);
        }

        public Frame encode() {
            ByteBuffer b = ByteBuffer.allocate(12 + refused.size() * ChunkId.LENGTH).putInt(request).putInt(stored).putInt(refused.size());
            refused.forEach(id -> b.put(id.bytes()));
            return new Frame(MessageType.CHUNKS_STORED, b.array());
        }

        public static ChunksStored decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            int stored = p.u32("stored count", MAX_IDS);
            int n = p.u32("refused count", MAX_IDS);
            List<ChunkId> refused = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                refused.add(ChunkId.of(p.bytes(ChunkId.LENGTH, "refused id " + i)));
            }
            p.end();
            return new ChunksStored(request, stored, refused);
        }
    }

    /** The receiver cannot serve the request (an unknown space, a store that failed): why, in one line. */
    public record RequestFailed(int request, String reason) {
        public Frame encode() {
            byte[] text = Payload.text(reason, MAX_REASON_BYTES);
            return new Frame(MessageType.REQUEST_FAILED, ByteBuffer.allocate(4 + text.length).putInt(request).put(text).array());
        }

        public static RequestFailed decode(Frame f) throws FrameException {
            Payload p = new Payload(f);
            int request = p.u32("request", 0xFFFFFFFFL);
            String reason = p.text("reason");
            p.end();
            return new RequestFailed(request, reason);
        }
    }
}
