package dev.strata.sync.chunks;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.wire.SpaceId;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The chunk spaces this device serves, each with the peers that may use it: a peer's question names
 * one (a shared volume's space only for the devices it is shared with). Thread-safe.
 */
public final class ChunkSpaces {
    private record Served(ChunkSpace space, Predicate<DeviceId> allowed) {
    }

    private final Map<SpaceId, Served> spaces = new ConcurrentHashMap<>();

    /** Serves {@code space} to every peer. */
    public void add(ChunkSpace space) {
        add(space, peer -> true);
    }

    /** Serves {@code space} to the peers {@code allowed} accepts (asked at each question). */
    public void add(ChunkSpace space, Predicate<DeviceId> allowed) {
        spaces.put(space.id(), new Served(space, allowed));
    }

    public void remove(SpaceId id) {
        spaces.remove(id);
    }

    public Optional<ChunkSpace> get(SpaceId id) {
        return Optional.ofNullable(spaces.get(id)).map(Served::space);
    }

    /** The space {@code id} if {@code peer} may use it. */
    public Optional<ChunkSpace> get(SpaceId id, DeviceId peer) {
        Served s = spaces.get(id);
        return s != null && s.allowed().test(peer) ? Optional.of(s.space()) : Optional.empty();
    }
}
