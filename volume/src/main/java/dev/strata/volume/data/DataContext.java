package dev.strata.volume.data;

import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.time.Clock;

/** What the data layer of one volume shares: its state, overlays, stores and clock. Thread-safe. */
record DataContext(VolumeState state, Overlays overlays, TreeStore trees, Clock clock) {
    ChunkStore store() {
        return trees.chunks();
    }

    BaseReader baseReader(FileContent content) throws IOException {
        return new BaseReader(store(), trees.refs(content));
    }

    Timestamp now() {
        return Timestamp.of(clock.instant());
    }
}
