package dev.strata.snapshot.diff;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Compares two trees by walking them side by side in name order; subtrees with the same id are
 * identical and skipped without reading them. Confined to one thread.
 */
public final class TreeDiff {
    private final TreeStore trees;

    public TreeDiff(TreeStore trees) {
        this.trees = trees;
    }

    /** Reports every change from {@code older} to {@code newer}, in path order. */
    public void diff(ChunkId older, ChunkId newer, Consumer<Change> out) throws IOException {
        compare(older, newer, "/", out);
    }

    private void compare(ChunkId a, ChunkId b, String dir, Consumer<Change> out) throws IOException {
        if (Objects.equals(a, b)) {
            return;
        }
        List<Node> left = a == null ? List.of() : trees.read(a).nodes();
        List<Node> right = b == null ? List.of() : trees.read(b).nodes();
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c = i >= left.size() ? 1 : j >= right.size() ? -1 : Names.ORDER.compare(left.get(i).name(), right.get(j).name());
            if (c < 0) {
                all(left.get(i++), dir, ChangeKind.REMOVED, out);
            } else if (c > 0) {
                all(right.get(j++), dir, ChangeKind.ADDED, out);
            } else {
                changed(left.get(i++), right.get(j++), dir, out);
            }
        }
    }

    private void changed(Node x, Node y, String dir, Consumer<Change> out) throws IOException {
        String path = dir + x.name();
        if (x.type() != y.type()) {
            all(x, dir, ChangeKind.REMOVED, out);
            all(y, dir, ChangeKind.ADDED, out);
            return;
        }
        if (x.isDirectory()) {
            if (!x.sameMetadata(y)) {
                out.accept(new Change(ChangeKind.METADATA, path + "/", 0, 0));
            }
            compare(x.subtree(), y.subtree(), path + "/", out);
            return;
        }
        boolean sameContent = x.isFile() ? x.content().equals(y.content()) : java.util.Arrays.equals(x.linkTarget(), y.linkTarget())
                && x.rdev() == y.rdev();
        if (!sameContent) {
            out.accept(new Change(ChangeKind.MODIFIED, path, x.size(), y.size()));
        } else if (!x.sameMetadata(y)) {
            out.accept(new Change(ChangeKind.METADATA, path, x.size(), y.size()));
        }
    }

    /** Reports a node and, for a folder, everything inside it. */
    private void all(Node n, String dir, ChangeKind kind, Consumer<Change> out) throws IOException {
        String path = dir + n.name() + (n.isDirectory() ? "/" : "");
        long size = n.isFile() ? n.size() : 0;
        out.accept(new Change(kind, path, kind == ChangeKind.REMOVED ? size : 0, kind == ChangeKind.ADDED ? size : 0));
        if (n.isDirectory()) {
            for (Node c : trees.read(n.subtree()).nodes()) {
                all(c, path, kind, out);
            }
        }
    }

    /** Totals of a diff, for its summary line. */
    public static final class Totals implements Consumer<Change> {
        private long added;
        private long removed;
        private long modified;
        private long metadata;
        private long bytesAdded;
        private long bytesRemoved;

        @Override
        public void accept(Change c) {
            switch (c.kind()) {
                case ADDED -> { added++; bytesAdded += c.newSize(); }
                case REMOVED -> { removed++; bytesRemoved += c.oldSize(); }
                case MODIFIED -> { modified++; bytesAdded += c.newSize(); bytesRemoved += c.oldSize(); }
                case METADATA -> metadata++;
                default -> throw new IllegalStateException();
            }
        }

        public long added() { return added; }
        public long removed() { return removed; }
        public long modified() { return modified; }
        public long metadata() { return metadata; }
        public long bytesAdded() { return bytesAdded; }
        public long bytesRemoved() { return bytesRemoved; }
    }
}
