package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * View nodes for what a snapshot saved: folders read from tree objects, files read from their
 * chunks, symlinks and special files, all with the saved metadata and stable inode numbers
 * (hard links share theirs). Immutable, thread-safe.
 */
final class SavedNodes {
    private SavedNodes() {
    }

    /** The view of a saved entry. */
    static ViewNode of(ViewContext ctx, byte[] snapshot, Node node) {
        if (node.type() == NodeType.DIRECTORY) {
            return new SavedDirectory(ctx, snapshot, node, node.subtree());
        }
        return new SavedEntry(ctx, snapshot, node);
    }

    static Attributes attributes(ViewContext ctx, byte[] snapshot, Node n) throws IOException {
        long blocks = 0;
        if (n.type() == NodeType.FILE) {
            // Honest for sparse files: only data takes blocks, in 4 KiB units as on disk.
            blocks = (ctx.dataBytes(n.content()) + 4095) / 4096 * 8;
        } else if (n.type() == NodeType.DIRECTORY) {
            blocks = 8;
        }
        return new Attributes(n.type(), n.mode(), n.uid(), n.gid(), n.size(), blocks, n.atime(), n.mtime(), n.ctime(),
                Inodes.ofSaved(snapshot, n.device(), n.inode()), Math.max(1, n.links()), n.rdev());
    }

    /** A saved folder. {@code self} may be null for a snapshot's root, whose attributes come from outside. */
    static class SavedDirectory implements ViewNode {
        final ViewContext ctx;
        final byte[] snapshot;
        final Node self;
        final ChunkId tree;

        SavedDirectory(ViewContext ctx, byte[] snapshot, Node self, ChunkId tree) {
            this.ctx = ctx;
            this.snapshot = snapshot;
            this.self = self;
            this.tree = tree;
        }

        /** Computed once: the kernel asks again at every lookup and getattr that its cache misses. */
        private volatile Attributes attributes;

        @Override
        public Attributes attributes() throws IOException {
            Attributes a = attributes;
            if (a == null) {
                a = SavedNodes.attributes(ctx, snapshot, self);
                attributes = a;
            }
            return a;
        }

        @Override
        public List<DirEntry> list() throws IOException {
            return ctx.listing(snapshot, tree, () -> {
                Tree t = ctx.trees.read(tree);
                List<DirEntry> out = new ArrayList<>(t.nodes().size());
                for (Node n : t.nodes()) {
                    out.add(new DirEntry(n.name(), SavedNodes.attributes(ctx, snapshot, n)));
                }
                return out;
            });
        }

        @Override
        public Optional<ViewNode> child(String name) throws IOException {
            return ctx.trees.read(tree).find(name).map(n -> SavedNodes.of(ctx, snapshot, n));
        }

        @Override
        public List<Xattr> xattrs() {
            return self == null ? List.of() : self.xattrs();
        }
    }

    /** A saved file, symlink or special file: what it can do follows from its type. */
    static final class SavedEntry implements ViewNode {
        private final ViewContext ctx;
        private final byte[] snapshot;
        private final Node node;

        SavedEntry(ViewContext ctx, byte[] snapshot, Node node) {
            this.ctx = ctx;
            this.snapshot = snapshot;
            this.node = node;
        }

        /** Computed once: the kernel asks again at every lookup and getattr that its cache misses. */
        private volatile Attributes attributes;

        @Override
        public Attributes attributes() throws IOException {
            Attributes a = attributes;
            if (a == null) {
                a = SavedNodes.attributes(ctx, snapshot, node);
                attributes = a;
            }
            return a;
        }

        @Override
        public OpenFile open() throws IOException {
            if (node.type() != NodeType.FILE) {
                return ViewNode.super.open();
            }
            return new ContentReader(ctx, ctx.refs(node.content()));
        }

        @Override
        public byte[] readLink() throws IOException {
            if (node.type() != NodeType.SYMLINK) {
                return ViewNode.super.readLink();
            }
            return node.linkTarget();
        }

        @Override
        public List<Xattr> xattrs() {
            return node.xattrs();
        }
    }
}
