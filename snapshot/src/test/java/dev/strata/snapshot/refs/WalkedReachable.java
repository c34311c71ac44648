package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * What every snapshot of a repository reaches, walked into a plain set: the answer that marking in
 * sorted runs (check, prune) is held against.
 */
public final class WalkedReachable {
    private WalkedReachable() {
    }

    /** Every chunk reached (trees, content lists and data); the trees among them also go to {@code treesOut}. */
    public static Set<ChunkId> of(Repository repo, TreeStore trees, Set<ChunkId> treesOut) throws IOException {
        Set<ChunkId> out = new HashSet<>();
        LmdbTable visited = repo.lmdb().openRunTable("test");
        ReferenceWalker walker = new ReferenceWalker(trees, visited);
        for (Snapshot s : new Snapshots(repo).list(new ArrayList<>())) {
            walker.walk(s.tree(), s.shortId(), new ReferenceWalker.Visitor() {
                @Override
                public void chunk(ChunkId id, boolean tree, String path) {
                    out.add(id);
                    if (tree) {
                        treesOut.add(id);
                    }
                }

                @Override
                public void unreadable(ChunkId id, String path, IOException e) {
                    throw new AssertionError(path, e);
                }
            });
        }
        visited.drop();
        return out;
    }
}
