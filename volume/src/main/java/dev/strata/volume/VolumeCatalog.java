package dev.strata.volume;

import dev.strata.core.crypto.MasterKey;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.posix.ProcessIdentity;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;
import dev.strata.volume.state.Inode;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volumes of a repository, read from their checkpoints (snapshots of kind {@code volume}): a
 * volume exists from the checkpoint that created it until one that removed it. Creating, removing
 * and checkpointing write new snapshot records; nothing else. Thread-safe.
 */
public final class VolumeCatalog {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Snapshots snapshots;
    private final TreeStore trees;
    private final HostIdentity host;
    private final Clock clock;

    public VolumeCatalog(Snapshots snapshots, TreeStore trees, HostIdentity host, Clock clock) {
        this.snapshots = snapshots;
        this.trees = trees;
        this.host = host;
        this.clock = clock;
    }

    /** A volume and its newest checkpoint. */
    public record Entry(VolumeRecord record, Snapshot latest, Snapshot created) {
        public String name() {
            return record.name();
        }
    }

    /** The volumes that exist, by name. */
    public List<Entry> list() throws IOException {
        Map<String, List<Snapshot>> byVolume = new HashMap<>();
        for (Snapshot s : snapshots.list()) {
            if (s.kind() != SnapshotKind.VOLUME) {
                continue;
            }
            VolumeRecord r = VolumeRecord.of(s);
            byVolume.computeIfAbsent(r.volumeIdHex(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Entry> byName = new HashMap<>();
        for (List<Snapshot> checkpoints : byVolume.values()) {
            checkpoints.sort(Comparator.comparing(Snapshot::time));
            Snapshot latest = checkpoints.get(checkpoints.size() - 1);
            VolumeRecord r = VolumeRecord.of(latest);
            if (r.event() == VolumeRecord.Event.REMOVED) {
                continue;
            }
            Entry e = new Entry(r, latest, checkpoints.get(0));
            Entry other = byName.get(r.name());
            if (other == null || other.latest().time().isBefore(latest.time())) {
                byName.put(r.name(), e);
            }
        }
        List<Entry> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    public Optional<Entry> find(String name) throws IOException {
        return list().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The volume called {@code name}, or a clear error (exit 15) naming the volumes there are. */
    public Entry require(String name) throws IOException {
        Optional<Entry> e = find(name);
        if (e.isEmpty()) {
            List<String> names = list().stream().map(Entry::name).toList();
            throw new UserFacingException(ExitCode.NOT_FOUND, "no volume called '" + name + "'"
                    + (names.isEmpty() ? "; 'strata volume create NAME' makes one" : "; there are: " + String.join(", ", names)));
        }
        return e.get();
    }

    /** Every checkpoint of the volume {@code record} names, oldest first. */
    public List<Snapshot> checkpoints(VolumeRecord record) throws IOException {
        List<Snapshot> out = new ArrayList<>();
        for (Snapshot s : snapshots.list()) {
            if (s.kind() == SnapshotKind.VOLUME && VolumeRecord.of(s).volumeIdHex().equals(record.volumeIdHex())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Snapshot::time));
        return out;
    }

    /** Creates an empty volume with the repository's keys. */
    public Entry create(String name, VolumeSettings settings) throws IOException {
        return create(name, settings, null);
    }

    /**
     * Creates an empty volume; with {@code shareableUnder} (the repository's key), a shareable one with
     * keys of its own, wrapped under that key (docs/format.md §2.4), its chunker sizes the repository's.
     */
    public Entry create(String name, VolumeSettings settings, MasterKey shareableUnder) throws IOException {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        VolumeKeys own = shareableUnder == null ? null
                : VolumeKeys.generate(id, trees.chunks().chunker().params().minSize(),
                trees.chunks().chunker().params().avgSize(), trees.chunks().chunker().params().maxSize());
        return create(name, id, settings, own, shareableUnder);
    }

    /**
     * Creates an empty volume joined from another device: its id and keys are those the sharing device
     * sent ({@code given}), wrapped here under this repository's key {@code wrapUnder}.
     */
    public Entry create(String name, VolumeSettings settings, MasterKey wrapUnder, VolumeKeys given) throws IOException {
        for (Entry e : list()) {
            if (java.util.Arrays.equals(e.record().volumeId(), given.volumeId())) {
                throw new UserFacingException(ExitCode.ALREADY_EXISTS, "volume '" + e.name() + "' has that id already");
            }
        }
        return create(name, given.volumeId(), settings, given, wrapUnder);
    }

    private Entry create(String name, byte[] id, VolumeSettings settings, VolumeKeys own, MasterKey wrapUnder)
            throws IOException {
        VolumeNames.check(name);
        if (find(name).isPresent()) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, "a volume called '" + name + "' already exists");
        }
        byte[] keys = own == null ? null : own.wrap(wrapUnder);
        VolumeRecord r = new VolumeRecord(name, id, VolumeRecord.Event.CREATED, settings, keys);
        ChunkId empty = trees.write(Tree.EMPTY);
        Timestamp now = Timestamp.of(clock.instant());
        Inode root = Inode.folder(Inode.ROOT, 0755, ProcessIdentity.uid(), ProcessIdentity.gid(), now, 0, new byte[0]);
        Snapshot s = save(r, VolumeTrees.root(trees, empty, empty, root), null, SnapshotSummary.NONE);
        return new Entry(r, s, s);
    }

    /** Marks the volume removed; its checkpoints, and so its history, stay until forgotten. */
    public void remove(Entry e) throws IOException {
        save(e.record().with(VolumeRecord.Event.REMOVED), e.latest().tree(), e.latest().id(), SnapshotSummary.NONE);
    }

    /** Stores a checkpoint record of {@code record}'s volume with root tree {@code tree}. */
    public Snapshot save(VolumeRecord record, ChunkId tree, SnapshotId parent, SnapshotSummary summary)
            throws IOException {
        trees.chunks().flush();
        Snapshot s = new Snapshot(null, SnapshotKind.VOLUME, clock.instant(), host.host(), host.user(), ProcessIdentity.uid(), ProcessIdentity.gid(),
                List.of(VolumeNames.source(record.name())), List.of(), parent, tree, List.of(), summary, record.toJson());
        return snapshots.save(s);
    }
}
