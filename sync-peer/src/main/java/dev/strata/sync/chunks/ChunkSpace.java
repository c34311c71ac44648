package dev.strata.sync.chunks;

import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.sync.wire.SpaceId;

import java.util.Objects;

/**
 * A set of chunks peers exchange, all with ids under one chunk-id key: its name on the wire, the key
 * (as the hasher that recomputes ids), and where this device reads and keeps them. Immutable.
 */
public record ChunkSpace(SpaceId id, ChunkIdHasher ids, ChunkSource source, ChunkSink sink) {
    public ChunkSpace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
    }

    /** The space of a shared volume's keys, over this device's chunks. */
    public static ChunkSpace of(SharedKeys keys, ChunkSource source, ChunkSink sink) {
        return new ChunkSpace(keys.space(), keys.hasher(), source, sink);
    }
}
