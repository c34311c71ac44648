package dev.strata.snapshot.backup;

import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.Optional;

/**
 * One directory of the parent snapshot, for finding the previous version of each entry. Loads
 * subtrees only when the walker descends into them. Immutable, thread-safe.
 */
final class ParentDir {
    static final ParentDir NONE = new ParentDir(null, Tree.EMPTY, null);

    private final TreeStore trees;
    private final Tree tree;
    private final dev.strata.core.id.ChunkId id;

    private ParentDir(TreeStore trees, Tree tree, dev.strata.core.id.ChunkId id) {
        this.trees = trees;
        this.tree = tree;
        this.id = id;
    }

    static ParentDir of(TreeStore trees, dev.strata.core.id.ChunkId id) throws IOException {
        return new ParentDir(trees, trees.read(id), id);
    }

    /** Whether this directory's tree in the parent snapshot has exactly this id. */
    boolean sameTree(dev.strata.core.id.ChunkId other) {
        return other.equals(id);
    }

    Optional<Node> child(String name) {
        return tree.find(name);
    }

    /** The parent's version of subdirectory {@code name}, or {@link #NONE}. */
    ParentDir subdir(String name) throws IOException {
        Optional<Node> n = tree.find(name);
        if (n.isEmpty() || !n.get().isDirectory()) {
            return NONE;
        }
        return new ParentDir(trees, trees.read(n.get().subtree()), n.get().subtree());
    }
}
