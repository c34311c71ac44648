package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;

import java.io.IOException;

/**
 * Requests addressed to a peer rather than to one connection: an exchange whose connection ends because
 * another connection between the two devices took its place (two devices that dial each other at once
 * keep one connection, docs/sync.md "One connection per pair") runs again on that one, so no caller sees
 * the tie. A connection that ends for any other reason fails the exchange at once. Implementations are
 * thread-safe.
 */
public interface PeerRequests {
    /** Whether a connection to {@code peer} is up. */
    boolean isConnected(DeviceId peer);

    /**
     * Runs {@code exchange} on the connection to {@code peer}, and again on the connection that takes its
     * place if it is superseded under it; fails if {@code peer} is not connected.
     */
    <T> T ask(DeviceId peer, Exchange<T> exchange) throws IOException;

    /** No peer connected: sync is not running. */
    PeerRequests NONE = new PeerRequests() {
        @Override
        public boolean isConnected(DeviceId peer) {
            return false;
        }

        @Override
        public <T> T ask(DeviceId peer, Exchange<T> exchange) throws IOException {
            throw new IOException("device " + peer.shortString() + " is not connected");
        }
    };
}
