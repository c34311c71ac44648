package dev.strata.snapshot;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.Optional;

/** Finds the node at an absolute path inside a snapshot's tree. Stateless. */
public final class TreePaths {
    private TreePaths() {
    }

    /** The node at {@code path} ("/home/ana"); empty for "/" (the root has no node of its own). */
    public static Optional<Node> find(TreeStore trees, ChunkId root, String path) throws IOException {
        ChunkId dir = root;
        Node current = null;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (current != null && !current.isDirectory()) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "'" + path + "' is not in the snapshot ("
                        + current.name() + " is not a folder)");
            }
            Tree t = trees.read(dir);
            Optional<Node> n = t.find(part);
            if (n.isEmpty()) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "'" + path + "' is not in the snapshot");
            }
            current = n.get();
            dir = current.isDirectory() ? current.subtree() : null;
        }
        return Optional.ofNullable(current);
    }

    /** Normalises a user-given snapshot path to "/a/b" form (no trailing slash, "/" for the root). */
    public static String normalise(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                int cut = sb.lastIndexOf("/");
                sb.setLength(Math.max(0, cut));
                continue;
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
