package dev.strata.sync.chunks;

import dev.strata.sync.wire.SpaceId;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The chunk spaces this device serves: a peer's question names one. Thread-safe. */
public final class ChunkSpaces {
    private final Map<SpaceId, ChunkSpace> spaces = new ConcurrentHashMap<>();

    public void add(ChunkSpace space) {
        spaces.put(space.id(), space);
    }

    public void remove(SpaceId id) {
        spaces.remove(id);
    }

    public Optional<ChunkSpace> get(SpaceId id) {
        return Optional.ofNullable(spaces.get(id));
    }
}
