package dev.strata.sync.view;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.volumes.SharedVolume;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the {@code peers/} view shows: the shared volumes synced here, their devices, the open connections. Implementations are thread-safe. */
public interface PeerSource {
    /** The shared volumes this process syncs (none while sync has not started). */
    List<SharedVolume> volumes();

    /** The devices {@code volume} is shared with. */
    Set<DeviceId> devices(SharedVolume volume);

    /** The open connection to {@code device}, if there is one. */
    Optional<PeerConnection> connection(DeviceId device);

    /** No volumes, no peers: sync is not running. */
    PeerSource NONE = new PeerSource() {
        @Override
        public List<SharedVolume> volumes() {
            return List.of();
        }

        @Override
        public Set<DeviceId> devices(SharedVolume volume) {
            return Set.of();
        }

        @Override
        public Optional<PeerConnection> connection(DeviceId device) {
            return Optional.empty();
        }
    };
}
