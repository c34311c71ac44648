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

    /**
     * The parent's root; {@link #NONE} when its tree cannot be read (damaged or lost), so that
     * everything is read from the source again rather than the backup failing.
     */
    static ParentDir of(TreeStore trees, dev.strata.core.id.ChunkId id) {
        try {
            return new ParentDir(trees, trees.read(id), id);
        } catch (IOException unreadable) {
            return NONE;
        }
    }

    /** Whether this directory's tree in the parent snapshot has exactly this id. */
    boolean sameTree(dev.strata.core.id.ChunkId other) {
        return other.equals(id);
    }

    Optional<Node> child(String name) {
        return tree.find(name);
    }

    /** The parent's version of subdirectory {@code name}; {@link #NONE} when it has none or it cannot be read. */
    ParentDir subdir(String name) {
        Optional<Node> n = tree.find(name);
        if (n.isEmpty() || !n.get().isDirectory()) {
            return NONE;
        }
        return of(trees, n.get().subtree());
    }
}
