package dev.strata.sync.volumes;

import dev.strata.sync.identity.DeviceId;

import java.util.List;

/**
 * Where a shared volume stands with its connected peers, for {@code strata sync status}. Immutable.
 *
 * @param sequence this device's newest sequence number of the volume
 * @param mode     how this device takes part: two-way, send-only or receive-only
 * @param held     paths the mode held back since the process started: send-only, peers' changes not
 *                 applied here; receive-only, changes made here and not sent
 */
public record VolumeProgress(String name, long sequence, List<Peer> peers, String mode, int held) {
    public VolumeProgress {
        peers = List.copyOf(peers);
    }

    /**
     * One peer.
     *
     * @param sentThrough  the last of this device's sequence numbers sent to it (-1: it has not asked)
     * @param applied      the last of its sequence numbers applied here
     * @param theirLatest  its newest sequence number as it last said (-1: not said yet)
     */
    public record Peer(DeviceId id, long sentThrough, long applied, long theirLatest) {
        /** Nothing left to send or to receive. */
        public boolean inSync(long sequence) {
            return sentThrough >= sequence && theirLatest >= 0 && applied >= theirLatest;
        }
    }
}
