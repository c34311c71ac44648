package dev.strata.sync.net;

import dev.strata.sync.wire.Frame;

import java.io.IOException;

/**
 * Serves what a peer asks or tells on one connection (every message but the connection's own and the
 * answers to this side's requests). Called on the connection's reader thread, one message at a time,
 * so an implementation may keep per-connection state without locks; a thrown {@link IOException}
 * ends the connection.
 */
public interface RequestHandler {
    void handle(PeerConnection connection, Frame frame) throws IOException;

    /** The connection ended: drop whatever was kept for it. */
    default void closed(PeerConnection connection) {
    }
}
