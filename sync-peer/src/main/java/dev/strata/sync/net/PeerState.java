package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;

import java.time.Instant;

/**
 * What the status shows of one peer: whether it is connected and since when, over which connection,
 * and the last problem reaching it. Immutable.
 *
 * @param since      when the current connection came up, or null
 * @param direction  who dialled ({@code inbound}: the peer), or null
 * @param remote     the peer's address on the current connection, or null
 * @param name       what the peer calls itself, or null
 * @param lastError  the last reason a connection failed or ended, or null
 */
public record PeerState(DeviceId id, boolean connected, Instant since, PeerConnection.Direction direction, String remote,
                        String name, String lastError, Instant lastErrorAt) {
}
