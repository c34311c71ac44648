package dev.strata.snapshot.copy;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.PutStats;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotOrigin;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Copies snapshots from one repository into another whose keys differ (docs/format.md §11.2). A
 * snapshot is in the target when a snapshot there has the same origin ({@link SnapshotOrigin}), so
 * copying again copies nothing, and copying back into the first repository finds the originals.
 * Everything a copy refers to is durable and indexed in the target before its record is written,
 * as with a backup. The caller opens the source for reading and the target with an append lock.
 * Confined to one thread.
 */
public final class SnapshotCopy {
    /** Readers of source chunks at once: enough to hide the latency of object storage. */
    private static final int READERS = 8;
    private final Repository from;
    private final Repository to;
    private final Snapshots fromSnapshots;
    private final Snapshots toSnapshots;
    private final String fromId;
    private final String toId;

    /** One snapshot and its copy (or the snapshot already in the target that is its copy). */
    public record Item(Snapshot source, Snapshot copy) {
    }

    /**
     * What a run did: the snapshots copied, those the target held already, the data chunks read from
     * the source, and what the target stored (chunks, their bytes before and after compression and
     * encryption, data and trees together).
     */
    public record Result(List<Item> copied, List<Item> present, long chunksRead, long bytesRead, long chunksKnown,
                         long chunksStored, long bytesStored) {
        public Result {
            copied = List.copyOf(copied);
            present = List.copyOf(present);
        }
    }

    public SnapshotCopy(Repository from, Repository to) throws UserFacingException {
        this.from = from;
        this.to = to;
        this.fromId = from.config().idHex();
        this.toId = to.config().idHex();
        if (Arrays.equals(from.config().id(), to.config().id())) {
            throw new UserFacingException(ExitCode.USAGE, "source and target are the same repository (id " + fromId
                    + "): there is nothing to copy");
        }
        this.fromSnapshots = new Snapshots(from);
        this.toSnapshots = new Snapshots(to);
    }

    /**
     * Copies {@code chosen} (snapshots of the source) that the target does not hold yet, oldest first
     * so that a parent is copied before its children and the copies keep it as parent.
     * {@code progress} hears of each snapshot as it is done.
     */
    public Result copy(List<Snapshot> chosen, Consumer<Item> progress) throws IOException {
        Map<SnapshotOrigin, Snapshot> inTarget = new HashMap<>();
        for (Snapshot t : toSnapshots.list()) {
            inTarget.putIfAbsent(SnapshotOrigin.of(t, toId), t);
        }
        List<Snapshot> ordered = new ArrayList<>(chosen);
        ordered.sort(Comparator.comparing(Snapshot::time).thenComparing(s -> s.id().toString()));
        List<Item> copied = new ArrayList<>();
        List<Item> present = new ArrayList<>();
        PutStats before = to.store().stats();
        TreeStore fromTrees = new TreeStore(from.store());
        TreeStore toTrees = new TreeStore(to.store());
        try (TreeCopier copier = new TreeCopier(fromTrees, toTrees, new ChunkIdMap(to, from.config().id()), READERS)) {
            for (Snapshot s : ordered) {
                SnapshotOrigin origin = SnapshotOrigin.of(s, fromId);
                Snapshot there = inTarget.get(origin);
                if (there != null) {
                    present.add(new Item(s, there));
                    continue;
                }
                ChunkId tree = copier.tree(s.tree());
                // The record is written last, once every chunk it reaches is durable and indexed.
                to.store().flush();
                Snapshot saved = toSnapshots.save(s.copiedAs(tree, parentInTarget(s, inTarget), origin));
                inTarget.put(origin, saved);
                Item item = new Item(s, saved);
                copied.add(item);
                progress.accept(item);
            }
            PutStats after = to.store().stats();
            return new Result(copied, present, copier.chunksRead(), copier.bytesRead(), copier.chunksKnown(),
                    after.chunksNew() - before.chunksNew(), after.bytesStored() - before.bytesStored());
        }
    }

    /** The copy of {@code s}'s parent in the target, when there is one. */
    private SnapshotId parentInTarget(Snapshot s, Map<SnapshotOrigin, Snapshot> inTarget) throws IOException {
        if (s.parent() == null) {
            return null;
        }
        Snapshot parent;
        try {
            parent = fromSnapshots.load(s.parent());
        } catch (UserFacingException forgotten) {
            return null;
        }
        Snapshot copy = inTarget.get(SnapshotOrigin.of(parent, fromId));
        return copy == null ? null : copy.id();
    }
}
