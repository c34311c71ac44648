package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.MessageType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The sending side of the chunk exchange: asks a peer which of a list of chunks it lacks, sends just
 * those (as this device stores them, compressed, when the connection speaks version 3; else their
 * plaintext), and returns the peer's account of what it stored and refused. Ids go in batches of at most
 * {@link ChunkMessages#MAX_IDS}; each batch is durable on the peer before the next is asked about.
 * Stateless; one call per request, from any thread.
 */
public final class ChunkSender {
    private final Duration answerTimeout;

    public ChunkSender(Duration answerTimeout) {
        this.answerTimeout = answerTimeout;
    }

    /**
     * What a transfer did. {@code lacking} chunks were missing on the peer, {@code sent} of them went
     * over the wire ({@code bytes} of chunk data), {@code stored} were verified and kept there, the
     * {@code refused} ones were not.
     */
    public record Report(int asked, int lacking, int sent, long bytes, int stored, List<ChunkId> refused) {
        Report plus(Report o) {
            List<ChunkId> r = new ArrayList<>(refused);
            r.addAll(o.refused);
            return new Report(asked + o.asked, lacking + o.lacking, sent + o.sent, bytes + o.bytes, stored + o.stored, r);
        }
    }

    /** Offers {@code ids} of {@code space} to the peer at the other end of {@code c}. */
    public Report offer(PeerConnection c, ChunkSpace space, List<ChunkId> ids) throws IOException {
        List<ChunkId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        Report total = new Report(0, 0, 0, 0, 0, List.of());
        for (int from = 0; from < distinct.size(); from += ChunkMessages.MAX_IDS) {
            total = total.plus(batch(c, space, distinct.subList(from, Math.min(distinct.size(), from + ChunkMessages.MAX_IDS))));
        }
        return total;
    }

    private Report batch(PeerConnection c, ChunkSpace space, List<ChunkId> ids) throws IOException {
        try (PeerConnection.Request r = c.request()) {
            c.send(new ChunkMessages.HaveQuery(r.id(), space.id(), ids).encode());
            ChunkMessages.HaveAnswer answer = ChunkMessages.HaveAnswer.decode(expect(r, MessageType.HAVE_ANSWER, c));
            if (answer.count() != ids.size()) {
                throw new FrameException("an answer about " + answer.count() + " chunks to a question about " + ids.size());
            }
            BitSet lacking = answer.lacking();
            int sent = 0;
            long bytes = 0;
            boolean packed = c.version() >= ChunkMessages.PackedChunk.SINCE_VERSION;
            for (int i = lacking.nextSetBit(0); i >= 0; i = lacking.nextSetBit(i + 1)) {
                if (packed) {
                    StoredChunk s = space.source().readStored(ids.get(i));
                    ChunkMessages.PackedChunk chunk = new ChunkMessages.PackedChunk(r.id(), ids.get(i), s.compression(),
                            s.rawLength(), s.payload());
                    c.send(MessageType.CHUNK_PACKED, chunk.header(), s.payload());
                    bytes += s.rawLength();
                } else {
                    byte[] data = space.source().read(ids.get(i));
                    ChunkMessages.Chunk chunk = new ChunkMessages.Chunk(r.id(), ids.get(i), data);
                    c.send(MessageType.CHUNK, chunk.header(), data);
                    bytes += data.length;
                }
                sent++;
            }
            c.send(new ChunkMessages.ChunksEnd(r.id()).encode());
            ChunkMessages.ChunksStored stored = ChunkMessages.ChunksStored.decode(expect(r, MessageType.CHUNKS_STORED, c));
            return new Report(ids.size(), lacking.cardinality(), sent, bytes, stored.stored(), stored.refused());
        }
    }

    private Frame expect(PeerConnection.Request r, MessageType type, PeerConnection c) throws IOException {
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
}
