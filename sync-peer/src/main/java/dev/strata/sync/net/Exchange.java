package dev.strata.sync.net;

import java.io.IOException;

/**
 * What a device asks of a peer on one connection, from its first request to its last answer (a question
 * for keys, a chunk offer with its batches, a fetch). It may run again, whole, on the connection that
 * took the place of one that lost the dialling tie under it ({@link PeerRequests}): so the requests it
 * sends must do no harm when their first copy was already served.
 */
@FunctionalInterface
public interface Exchange<T> {
    T on(PeerConnection c) throws IOException;
}
