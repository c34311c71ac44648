package dev.strata.sync.view;

import dev.strata.snapshot.view.ChunkedFile;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.volume.state.SyncRecord;

import java.io.IOException;

/**
 * A file of {@code peers/} opened for reading: the content its peer's record names, chunk by chunk
 * through {@link Reads}, holes as zeros. Thread-safe.
 */
final class PeerFile extends ChunkedFile {
    private final Reads reads;
    private final SharedVolume volume;
    private final DeviceId peer;
    private final String name;

    PeerFile(Reads reads, SharedVolume volume, DeviceId peer, SyncRecord record) throws IOException {
        super(volume.trees().refs(record.content()));
        this.reads = reads;
        this.volume = volume;
        this.peer = peer;
        this.name = "peers/" + peer.shortString() + "/" + volume.name() + "/" + record.printablePath();
    }

    @Override
    protected byte[] load(int i) throws IOException {
        return reads.chunk(volume, peer, refs().get(i).id(), name);
    }
}
