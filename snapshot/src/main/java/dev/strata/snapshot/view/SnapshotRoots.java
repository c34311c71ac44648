package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.TreePaths;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a snapshot's folder in the mount shows. A backup of one folder shows that folder's contents
 * with its saved metadata (so {@code cp -a} of the snapshot folder is a restore of it); a backup of
 * several paths, of a single file, or of {@code /} shows the tree from {@code /}. Stateless.
 */
final class SnapshotRoots {
    private SnapshotRoots() {
    }

    /** The folder of {@code s}. */
    static ViewNode of(ViewContext ctx, Snapshot s) throws IOException {
        byte[] id = s.id().bytes();
        if (s.paths().size() == 1) {
            Optional<Node> only = TreePaths.find(ctx.trees, s.tree(), s.paths().get(0));
            if (only.isPresent() && only.get().isDirectory()) {
                return new SavedNodes.SavedDirectory(ctx, id, only.get(), only.get().subtree());
            }
        }
        return new WholeTree(ctx, id, s.tree(), Timestamp.of(s.time()));
    }

    /** The tree whose entries the folder of {@code s} lists. */
    static ChunkId rootTree(ViewContext ctx, Snapshot s) throws IOException {
        if (s.paths().size() == 1) {
            Optional<Node> only = TreePaths.find(ctx.trees, s.tree(), s.paths().get(0));
            if (only.isPresent() && only.get().isDirectory()) {
                return only.get().subtree();
            }
        }
        return s.tree();
    }

    /** The tree from "/", which has no saved node of its own: a read-only folder at the snapshot's time. */
    private static final class WholeTree extends SavedNodes.SavedDirectory {
        private final Timestamp time;

        WholeTree(ViewContext ctx, byte[] snapshot, ChunkId tree, Timestamp time) {
            super(ctx, snapshot, null, tree);
            this.time = time;
        }

        @Override
        public Attributes attributes() {
            return Attributes.virtualDirectory(Inodes.ofPath("snapshot:" + dev.strata.core.id.Hex.encode(snapshot)), time, ctx.uid, ctx.gid);
        }

        @Override
        public List<dev.strata.core.tree.Xattr> xattrs() {
            return List.of();
        }
    }
}
