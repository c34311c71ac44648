package dev.strata.sync.volumes;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.wire.SpaceId;

import java.io.IOException;

/** Where a device finds the volumes it shares, to answer a joining peer. Implementations are thread-safe. */
public interface KeysDirectory {
    /** A volume's id and the plaintext of its keys (docs/format.md §2.4). */
    record VolumeKeysPlain(SpaceId volume, String name, byte[] keys) {
    }

    /**
     * The keys of the volume called {@code name} for {@code peer}; an {@link IOException} whose message
     * says why not (no such volume, or not shared with that device) refuses.
     */
    VolumeKeysPlain keysFor(String name, DeviceId peer) throws IOException;
}
