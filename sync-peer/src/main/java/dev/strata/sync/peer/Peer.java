package dev.strata.sync.peer;

import dev.strata.sync.identity.DeviceId;

import java.time.Instant;
import java.util.Objects;

/** A device this one has added: its ID, where it listens, and when it was added. Immutable. */
public record Peer(DeviceId id, PeerAddress address, Instant added) {
    public Peer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(added, "added");
    }
}
