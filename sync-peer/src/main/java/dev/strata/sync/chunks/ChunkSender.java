package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.wire.ChunkMessages;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The sending side of the chunk exchange: asks a peer which of a list of chunks it lacks, sends just
 * those (as this device stores them, compressed, when the connection speaks version 3; else their
 * plaintext), and returns the peer's account of what it stored and refused. Ids go in batches of at most
 * {@link ChunkMessages#MAX_IDS}, sent one after the other through an {@link OfferWindow} without waiting
 * for the peer to store each (the work runs as docs/sync.md "Where the sending work runs" says).
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

    /**
     * Offers {@code ids} of {@code space} to the peer at the other end of {@code c}, in batches kept in
     * flight together ({@link OfferWindow}); returns once every batch is stored on the peer.
     */
    public Report offer(PeerConnection c, ChunkSpace space, List<ChunkId> ids) throws IOException {
        List<ChunkId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        List<Report> reports = Collections.synchronizedList(new ArrayList<>());
        try (OfferWindow window = window(c)) {
            try {
                for (int from = 0; from < distinct.size(); from += ChunkMessages.MAX_IDS) {
                    window.offer(space, distinct.subList(from, Math.min(distinct.size(), from + ChunkMessages.MAX_IDS)), reports::add);
                }
            } finally {
                window.drain(); // every request ends before the window does, also after a failure
            }
        }
        Report total = new Report(0, 0, 0, 0, 0, List.of());
        for (Report r : reports) {
            total = total.plus(r);
        }
        return total;
    }

    /** A pipeline of offers on {@code c}, with the default bounds; the caller closes it. */
    public OfferWindow window(PeerConnection c) {
        return new OfferWindow(c, answerTimeout, OfferWindow.MAX_BATCHES, OfferWindow.MAX_BYTES_UNSTORED,
                ChunkReadAhead.MAX_BYTES_AHEAD);
    }
}
