package dev.strata.snapshot.repair;

import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeCodec;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites each snapshot that refers to data the repository has lost into a new snapshot without it,
 * as restic's {@code repair snapshots} does, so that the repository is whole again: files keep what is
 * still stored, unreadable folders become empty, and a snapshot whose root cannot be read is removed.
 * The new snapshot has the original's time, host, paths, tags and origin (a copy stays a copy of the same
 * snapshot, so copying again finds it) plus the tag {@code repaired}; the
 * original is then removed unless asked to keep it. What is lost is what the index knows to be lost
 * (found by {@code check --read-data}, a read, or a pack gone), so check first. Confined to one thread.
 */
public final class SnapshotRepair {
    public static final String TAG = "repaired";

    /** What was done at one path of a snapshot (absolute, as saved). */
    public record Change(String path, String what) {
    }

    /**
     * One snapshot that needed repair.
     *
     * @param replacement the new snapshot (null when the root was unreadable, or for a dry run)
     * @param removed     the original was removed (or, for a dry run, would be)
     */
    public record Outcome(Snapshot original, Snapshot replacement, List<Change> changes, boolean rootUnreadable,
                          boolean removed) {
    }

    /** What a repair did: the snapshots it rewrote or removed, and how many were intact. */
    public record Result(List<Outcome> repaired, int intact) {
    }

    private final Repository repo;
    private final Snapshots snapshots;
    private final TreeStore trees;

    public SnapshotRepair(Repository repo) {
        this.repo = repo;
        this.snapshots = new Snapshots(repo);
        this.trees = new TreeStore(repo.store());
    }

    public Result run(List<Snapshot> chosen, boolean dryRun, boolean keepOriginals) throws IOException {
        TreeRewriter.Output output = dryRun ? new HashOnly() : new Stored();
        TreeRewriter files = new TreeRewriter(trees, repo.index(), output, false);
        TreeRewriter images = new TreeRewriter(trees, repo.index(), output, true);
        List<Outcome> outcomes = new ArrayList<>();
        List<Snapshot> replacements = new ArrayList<>();
        int intact = 0;
        for (Snapshot s : chosen) {
            TreeRewriter.Rewritten r = (s.kind() == SnapshotKind.IMAGE ? images : files).tree(s.tree());
            if (r != null && r.id().equals(s.tree())) {
                intact++;
                continue;
            }
            List<Change> changes = new ArrayList<>();
            if (r == null) {
                changes.add(new Change("/", "root folder unreadable: nothing of this snapshot can be saved"));
                replacements.add(null);
            } else {
                r.changes().forEach(c -> changes.add(new Change("/" + c.path(), c.what())));
                List<String> tags = new ArrayList<>(s.tags());
                if (!tags.contains(TAG)) {
                    tags.add(TAG);
                }
                replacements.add(new Snapshot(null, s.kind(), s.time(), s.host(), s.user(), s.uid(), s.gid(), s.paths(),
                        tags, s.parent(), r.id(), s.excludes(), s.summary(), s.extra(), s.origin()));
            }
            outcomes.add(new Outcome(s, null, changes, r == null, r == null || !keepOriginals));
        }
        if (dryRun) {
            return new Result(outcomes, intact);
        }
        // New trees and content lists are durable and indexed before any record names them.
        repo.store().flush();
        List<Outcome> done = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            Snapshot saved = replacements.get(i) == null ? null : snapshots.save(replacements.get(i));
            if (o.removed()) {
                snapshots.delete(o.original().id());
            }
            done.add(new Outcome(o.original(), saved, o.changes(), o.rootUnreadable(), o.removed()));
        }
        return new Result(done, intact);
    }

    /** Stores what the rewrite makes. */
    private final class Stored implements TreeRewriter.Output {
        @Override
        public ChunkId write(Tree tree) throws IOException {
            return trees.write(tree);
        }

        @Override
        public FileContent content(List<ChunkRef> refs) throws IOException {
            return trees.storeContent(refs);
        }
    }

    /** A dry run: nothing is stored; the ids only tell changed trees from unchanged ones. */
    private final class HashOnly implements TreeRewriter.Output {
        @Override
        public ChunkId write(Tree tree) {
            return repo.store().hasher().hash(TreeCodec.encode(tree));
        }

        @Override
        public FileContent content(List<ChunkRef> refs) {
            return new FileContent.Inline(refs);
        }
    }
}
