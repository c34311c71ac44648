package dev.strata.sync.view;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerRequests;
import dev.strata.sync.volumes.SharedVolume;

import java.util.List;
import java.util.Set;

/** What the {@code peers/} view shows: the shared volumes synced here, their devices, the peers to ask. Implementations are thread-safe. */
public interface PeerSource {
    /** The shared volumes this process syncs (none while sync has not started). */
    List<SharedVolume> volumes();

    /** The devices {@code volume} is shared with. */
    Set<DeviceId> devices(SharedVolume volume);

    /** What this process asks its peers (a chunk the view reads from one), addressed by device. */
    PeerRequests requests();

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
        public PeerRequests requests() {
            return PeerRequests.NONE;
        }
    };
}
