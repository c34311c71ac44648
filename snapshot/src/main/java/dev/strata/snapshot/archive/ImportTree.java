package dev.strata.snapshot.archive;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The folders and entries of an archive being imported, held until the archive ends (a tar may name a
 * folder's entries anywhere in it), then written as trees, deepest first. Holds metadata and chunk
 * references only, never content. Hard links share one inode number; their link count is known at
 * the end. Confined to one thread.
 */
final class ImportTree {
    private final Dir root = new Dir(null);
    private final Node.Builder defaultDir;
    private final Map<Long, Integer> linkCounts = new HashMap<>();
    private long nextInode = 1;

    /** {@code defaultDir} gives the metadata of folders the archive holds entries of but no entry for. */
    ImportTree(Node.Builder defaultDir) {
        this.defaultDir = defaultDir;
    }

    /** A folder's metadata (its contents stay as they are). */
    void directory(List<String> path, Node.Builder meta) {
        if (path.isEmpty()) {
            return; // the archive's own root: a snapshot's root folder has no metadata
        }
        Dir parent = dir(path.subList(0, path.size() - 1));
        String name = path.get(path.size() - 1);
        parent.leaves.remove(name);
        parent.dirs.computeIfAbsent(name, n -> new Dir(null)).meta = meta;
    }

    /** A file, symlink or special file; a later entry of the same path replaces an earlier one, as tar does. */
    void leaf(List<String> path, Node node) {
        Dir parent = dir(path.subList(0, path.size() - 1));
        String name = path.get(path.size() - 1);
        parent.dirs.remove(name);
        Node withInode = new Node(name, node.type(), node.mode(), node.uid(), node.gid(), node.user(), node.group(),
                node.atime(), node.mtime(), node.ctime(), nextInode++, 0, 1, node.rdev(), node.size(), node.xattrs(),
                node.content(), node.subtree(), node.linkTarget(), node.flags());
        parent.leaves.put(name, withInode);
    }

    /** Another name for the file at {@code target}; false if there is no file there. */
    boolean hardLink(List<String> path, List<String> target) {
        Node first = find(target);
        if (first == null || first.type() != NodeType.FILE) {
            return false;
        }
        Dir parent = dir(path.subList(0, path.size() - 1));
        String name = path.get(path.size() - 1);
        parent.dirs.remove(name);
        parent.leaves.put(name, first.withName(name));
        linkCounts.merge(first.inode(), 2, (a, b) -> a + 1);
        return true;
    }

    /** Writes every folder's tree; returns the root's. */
    ChunkId write(TreeStore trees) throws IOException {
        return write(trees, root);
    }

    /** Folders written, the root not counted. */
    long folders() {
        return count(root) - 1;
    }

    private long count(Dir d) {
        long n = 1;
        for (Dir sub : d.dirs.values()) {
            n += count(sub);
        }
        return n;
    }

    private ChunkId write(TreeStore trees, Dir d) throws IOException {
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, Dir> e : d.dirs.entrySet()) {
            ChunkId sub = write(trees, e.getValue());
            Node.Builder meta = e.getValue().meta != null ? e.getValue().meta : defaultDir;
            nodes.add(rename(meta.subtree(sub).build(), e.getKey()));
        }
        for (Node n : d.leaves.values()) {
            Integer links = linkCounts.get(n.inode());
            nodes.add(links == null ? n : new Node(n.name(), n.type(), n.mode(), n.uid(), n.gid(), n.user(), n.group(),
                    n.atime(), n.mtime(), n.ctime(), n.inode(), n.device(), links, n.rdev(), n.size(), n.xattrs(),
                    n.content(), n.subtree(), n.linkTarget(), n.flags()));
        }
        return trees.write(new Tree(nodes));
    }

    private static Node rename(Node n, String name) {
        return n.name().equals(name) ? n : n.withName(name);
    }

    private Node find(List<String> path) {
        Dir d = root;
        for (int i = 0; i < path.size() - 1 && d != null; i++) {
            d = d.dirs.get(path.get(i));
        }
        return d == null || path.isEmpty() ? null : d.leaves.get(path.get(path.size() - 1));
    }

    private Dir dir(List<String> path) {
        Dir d = root;
        for (String name : path) {
            d.leaves.remove(name); // a folder's path in a later entry replaces a file of that name
            d = d.dirs.computeIfAbsent(name, n -> new Dir(null));
        }
        return d;
    }

    /** One folder: its metadata (null until its entry is read) and its entries by name. */
    private static final class Dir {
        Node.Builder meta;
        final Map<String, Dir> dirs = new TreeMap<>(Names.ORDER);
        final Map<String, Node> leaves = new TreeMap<>(Names.ORDER);

        Dir(Node.Builder meta) {
            this.meta = meta;
        }
    }
}
