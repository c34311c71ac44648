package dev.strata.snapshot.backup;

import dev.strata.core.posix.PathBytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The source paths of a backup as a tree of path components, so that the snapshot's root tree holds
 * each source at its absolute place with the folders above it. Immutable once built.
 */
final class PathTrie {
    private final Node root = new Node("", false);

    /** A component: a source path itself, or a folder above one or more sources. */
    static final class Child {
        private final Node node;

        private Child(Node node) {
            this.node = node;
        }

        String name() {
            return node.name;
        }

        boolean isSource() {
            return node.source;
        }

        List<Child> children() {
            List<Child> out = new ArrayList<>();
            node.children.values().forEach(n -> out.add(new Child(n)));
            return out;
        }
    }

    private static final class Node {
        final String name;
        boolean source;
        final TreeMap<String, Node> children = new TreeMap<>(dev.strata.core.tree.Names.ORDER);

        Node(String name, boolean source) {
            this.name = name;
            this.source = source;
        }
    }

    /** Builds the trie of absolute, normalised paths none of which lies inside another. */
    static PathTrie of(Collection<Path> paths) {
        PathTrie t = new PathTrie();
        for (Path p : paths) {
            if (p.getNameCount() == 0) {
                throw new IllegalArgumentException("backing up / itself: name its folders instead");
            }
            Node n = t.root;
            for (int i = 0; i < p.getNameCount(); i++) {
                String c = PathBytes.name(p.getName(i));
                n = n.children.computeIfAbsent(c, k -> new Node(k, false));
            }
            n.source = true;
        }
        return t;
    }

    List<Child> children() {
        return new Child(root).children();
    }
}
