package dev.strata.volume;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.volume.history.VersionRetention;
import dev.strata.volume.state.VersionRecord;
import dev.strata.volume.state.VolumeState;
import dev.strata.volume.view.LiveVolume;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes checkpoints of a live volume into the repository: thins the versions by the volume's
 * retention, makes every sealed version durable, builds the {@code live/} and {@code history/} trees
 * and saves them as a snapshot of kind {@code volume}. Thread-safe: one checkpoint at a time.
 */
public final class Checkpointer {
    private final LiveVolume volume;
    private final VolumeCatalog catalog;
    private final Clock clock;
    private long checkpointedGeneration;

    /** A checkpointer for a volume whose state, as it is now, is already in its newest checkpoint. */
    public Checkpointer(LiveVolume volume, VolumeCatalog catalog, Clock clock) {
        this.volume = volume;
        this.catalog = catalog;
        this.clock = clock;
        this.checkpointedGeneration = volume.state().generation();
    }

    /** Whether the volume changed since this process's last checkpoint of it. */
    public synchronized boolean changed() {
        return volume.state().generation() != checkpointedGeneration;
    }

    /** Writes a checkpoint of {@code entry}'s volume and returns its snapshot. */
    public synchronized Snapshot checkpoint(VolumeCatalog.Entry entry) throws IOException {
        VolumeState state = volume.state();
        thin(entry.record().settings().retention(), clock.instant());
        volume.data().flush();
        long generation = state.generation();
        TreeStore trees = volume.trees();
        VolumeState.Capture capture = state.capture();
        ChunkId live = VolumeTrees.live(trees, capture);
        ChunkId history = VolumeTrees.history(trees, state.allVersions());
        ChunkId root = VolumeTrees.root(trees, live, history, capture.inodes().get(dev.strata.volume.state.Inode.ROOT));
        // A shareable volume's store is not the catalog's: its trees must be durable before the record.
        trees.chunks().flush();
        Snapshot s = catalog.save(entry.record().with(VolumeRecord.Event.CHECKPOINT), root, entry.latest().id(),
                SnapshotSummary.NONE);
        checkpointedGeneration = generation;
        return s;
    }

    /** Removes the versions the retention plan no longer keeps; returns how many. */
    int thin(VersionRetention retention, Instant now) throws IOException {
        Map<String, List<VersionRecord>> byPath = new LinkedHashMap<>();
        for (VersionRecord v : volume.state().allVersions()) {
            byPath.computeIfAbsent(new String(v.path(), java.nio.charset.StandardCharsets.ISO_8859_1),
                    k -> new ArrayList<>()).add(v);
        }
        List<VersionRecord> gone = new ArrayList<>();
        for (List<VersionRecord> versions : byPath.values()) {
            List<Instant> times = versions.stream().map(v -> v.saved().toInstant()).toList();
            Set<Integer> kept = retention.keep(times, now);
            for (int i = 0; i < versions.size(); i++) {
                if (!kept.contains(i)) {
                    gone.add(versions.get(i));
                }
            }
        }
        if (!gone.isEmpty()) {
            volume.state().removeVersions(gone);
        }
        return gone.size();
    }
}
