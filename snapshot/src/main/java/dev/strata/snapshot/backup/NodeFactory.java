package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Timespec;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Turns what the filesystem says about a path into a tree node's metadata. Thread-safe. */
final class NodeFactory {
    private final SourceFs fs;

    NodeFactory(SourceFs fs) {
        this.fs = fs;
    }

    /** The node type of a status, or empty for a kind Strata does not save. */
    static Optional<NodeType> typeOf(FileStatus st) {
        if (st.isRegularFile()) {
            return Optional.of(NodeType.FILE);
        }
        if (st.isDirectory()) {
            return Optional.of(NodeType.DIRECTORY);
        }
        if (st.isSymlink()) {
            return Optional.of(NodeType.SYMLINK);
        }
        if (st.isFifo()) {
            return Optional.of(NodeType.FIFO);
        }
        if (st.isSocket()) {
            return Optional.of(NodeType.SOCKET);
        }
        if (st.isCharDevice()) {
            return Optional.of(NodeType.CHAR_DEVICE);
        }
        if (st.isBlockDevice()) {
            return Optional.of(NodeType.BLOCK_DEVICE);
        }
        return Optional.empty();
    }

    /**
     * The metadata part of a node; xattrs that cannot be read are reported through {@code warnings}
     * and left out.
     */
    Node.Builder metadata(String name, NodeType type, Path path, FileStatus st, Warnings warnings) {
        List<Xattr> xattrs;
        try {
            xattrs = fs.xattrs(path);
        } catch (IOException e) {
            warnings.add(path, "extended attributes not saved: " + e.getMessage());
            xattrs = List.of();
        }
        return metadata(name, type, st, xattrs);
    }

    /**
     * The metadata part of a node whose xattrs are already known: those of its node in the parent
     * snapshot when its ctime has not moved since (setting or removing an xattr moves the ctime), so
     * an unchanged file costs no llistxattr.
     */
    Node.Builder metadata(String name, NodeType type, FileStatus st, List<Xattr> xattrs) {
        long uid = Integer.toUnsignedLong(st.uid());
        long gid = Integer.toUnsignedLong(st.gid());
        return Node.builder(name, type)
                .mode(st.permissions())
                .owner(uid, gid, nullToEmpty(fs.userName(st.uid())), nullToEmpty(fs.groupName(st.gid())))
                .times(ts(st.atime()), ts(st.mtime()), ts(st.ctime()))
                .identity(st.inode(), st.device(), st.links())
                .rdev(type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE ? st.rdev() : 0)
                .xattrs(xattrs);
    }

    static Timestamp ts(Timespec t) {
        return new Timestamp(t.seconds(), t.nanos());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
