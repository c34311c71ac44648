package dev.strata.sync.view;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.volume.state.SyncRecord;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A file of {@code peers/} opened for reading: the content its peer's record names, chunk by chunk
 * through {@link Reads}, holes as zeros; keeps the chunk read last (reads come 128 KiB at a time).
 * Thread-safe.
 */
final class PeerFile implements OpenFile {
    private final Reads reads;
    private final SharedVolume volume;
    private final DeviceId peer;
    private final String name;
    private final List<ChunkRef> refs;
    private final long[] starts;
    private volatile Cached last;

    private record Cached(int index, byte[] data) {
    }

    PeerFile(Reads reads, SharedVolume volume, DeviceId peer, SyncRecord record) throws IOException {
        this.reads = reads;
        this.volume = volume;
        this.peer = peer;
        this.name = "peers/" + peer.shortString() + "/" + volume.name() + "/" + record.printablePath();
        this.refs = volume.trees().refs(record.content());
        this.starts = new long[refs.size() + 1];
        for (int i = 0; i < refs.size(); i++) {
            starts[i + 1] = starts[i] + refs.get(i).length();
        }
    }

    @Override
    public int read(long offset, int length, ReadSink sink) throws IOException {
        long size = starts[refs.size()];
        if (offset >= size || length <= 0) {
            return 0;
        }
        long end = Math.min(size, offset + length);
        int i = Arrays.binarySearch(starts, offset);
        i = i >= 0 ? i : -i - 2;
        long pos = offset;
        int written = 0;
        while (pos < end) {
            int n = (int) (Math.min(end, starts[i + 1]) - pos);
            ChunkRef r = refs.get(i);
            if (r.isHole()) {
                sink.zero(written, n);
            } else {
                sink.put(written, chunk(i), (int) (pos - starts[i]), n);
            }
            pos += n;
            written += n;
            i++;
        }
        return written;
    }

    private byte[] chunk(int i) throws IOException {
        Cached c = last;
        if (c != null && c.index() == i) {
            return c.data();
        }
        byte[] data = reads.chunk(volume, peer, refs.get(i).id(), name);
        last = new Cached(i, data);
        return data;
    }

    @Override
    public void close() {
    }
}
