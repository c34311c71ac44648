package dev.strata.core.tree;

import dev.strata.core.id.ChunkId;
import dev.strata.core.name.Printable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of a directory with all its metadata (docs/format.md §10.2). Validated on construction:
 * the name is a single safe component and the type-specific part matches the type. Immutable.
 *
 * @param content    the file's content (files only, else null)
 * @param subtree    the directory's tree id (directories only, else null)
 * @param linkTarget the symlink's target bytes (symlinks only, else null)
 * @param flags      {@link #FLAG_CHANGED_WHILE_READ}
 */
public record Node(String name, NodeType type, int mode, long uid, long gid, String user, String group,
                   Timestamp atime, Timestamp mtime, Timestamp ctime, long inode, long device, long links, long rdev,
                   long size, List<Xattr> xattrs, FileContent content, ChunkId subtree, byte[] linkTarget, int flags) {
    /** The file changed while it was read; its content may mix two versions. */
    public static final int FLAG_CHANGED_WHILE_READ = 1;

    public Node {
        if (!Names.isSafe(name)) {
            throw new IllegalArgumentException("unsafe name in tree: '" + Printable.of(name) + "'");
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode has bits beyond 07777: " + Integer.toOctalString(mode));
        }
        if ((type == NodeType.FILE) != (content != null)) {
            throw new IllegalArgumentException("only files have content: " + name);
        }
        if ((type == NodeType.DIRECTORY) != (subtree != null)) {
            throw new IllegalArgumentException("only directories have a subtree: " + name);
        }
        if ((type == NodeType.SYMLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException("only symlinks have a target: " + name);
        }
        if (type == NodeType.FILE && content.size() != size) {
            throw new IllegalArgumentException("content of " + name + " covers " + content.size() + " bytes, size is " + size);
        }
        List<Xattr> sorted = new ArrayList<>(xattrs);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("duplicate xattr " + sorted.get(i).name() + " on " + name);
            }
        }
        xattrs = List.copyOf(sorted);
        linkTarget = linkTarget == null ? null : linkTarget.clone();
        user = user == null ? "" : user;
        group = group == null ? "" : group;
    }

    @Override
    public byte[] linkTarget() {
        return linkTarget == null ? null : linkTarget.clone();
    }

    public boolean isDirectory() {
        return type == NodeType.DIRECTORY;
    }

    public boolean isFile() {
        return type == NodeType.FILE;
    }

    public boolean changedWhileRead() {
        return (flags & FLAG_CHANGED_WHILE_READ) != 0;
    }

    public Node withName(String newName) {
        return new Node(newName, type, mode, uid, gid, user, group, atime, mtime, ctime, inode, device, links, rdev,
                size, xattrs, content, subtree, linkTarget, flags);
    }

    public Node withSubtree(ChunkId tree) {
        return new Node(name, type, mode, uid, gid, user, group, atime, mtime, ctime, inode, device, links, rdev,
                size, xattrs, content, tree, linkTarget, flags);
    }

    public Node withContent(FileContent c, int newFlags) {
        return new Node(name, type, mode, uid, gid, user, group, atime, mtime, ctime, inode, device, links, rdev,
                c.size(), xattrs, c, subtree, linkTarget, newFlags);
    }

    /** Same metadata, ignoring content, subtree and atime (which reading a file changes). */
    public boolean sameMetadata(Node o) {
        return name.equals(o.name) && type == o.type && mode == o.mode && uid == o.uid && gid == o.gid
                && mtime.equals(o.mtime) && rdev == o.rdev && xattrs.equals(o.xattrs)
                && Arrays.equals(linkTarget, o.linkTarget);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Node)) {
            return false;
        }
        Node n = (Node) o;
        return name.equals(n.name) && type == n.type && mode == n.mode && uid == n.uid && gid == n.gid
                && user.equals(n.user) && group.equals(n.group) && atime.equals(n.atime) && mtime.equals(n.mtime)
                && ctime.equals(n.ctime) && inode == n.inode && device == n.device && links == n.links && rdev == n.rdev
                && size == n.size && xattrs.equals(n.xattrs) && java.util.Objects.equals(content, n.content)
                && java.util.Objects.equals(subtree, n.subtree) && Arrays.equals(linkTarget, n.linkTarget) && flags == n.flags;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(inode);
    }

    @Override
    public String toString() {
        return "Node[" + type + " " + name + ", " + size + " bytes]";
    }

    public static Builder builder(String name, NodeType type) {
        return new Builder(name, type);
    }

    /** Assembles a node field by field. Confined to one thread. */
    public static final class Builder {
        private final String name;
        private final NodeType type;
        private int mode;
        private long uid;
        private long gid;
        private String user = "";
        private String group = "";
        private Timestamp atime = Timestamp.EPOCH;
        private Timestamp mtime = Timestamp.EPOCH;
        private Timestamp ctime = Timestamp.EPOCH;
        private long inode;
        private long device;
        private long links = 1;
        private long rdev;
        private long size;
        private List<Xattr> xattrs = List.of();
        private FileContent content;
        private ChunkId subtree;
        private byte[] linkTarget;
        private int flags;

        private Builder(String name, NodeType type) {
            this.name = name;
            this.type = type;
        }

        public Builder mode(int v) { mode = v; return this; }
        public Builder owner(long u, long g, String userName, String groupName) { uid = u; gid = g; user = userName; group = groupName; return this; }
        public Builder times(Timestamp a, Timestamp m, Timestamp c) { atime = a; mtime = m; ctime = c; return this; }
        public Builder identity(long ino, long dev, long nlink) { inode = ino; device = dev; links = nlink; return this; }
        public Builder rdev(long v) { rdev = v; return this; }
        public Builder size(long v) { size = v; return this; }
        public Builder xattrs(List<Xattr> v) { xattrs = v; return this; }
        public Builder content(FileContent c) { content = c; size = c.size(); return this; }
        public Builder subtree(ChunkId id) { subtree = id; return this; }
        public Builder linkTarget(byte[] t) { linkTarget = t; size = t.length; return this; }
        public Builder flags(int f) { flags = f; return this; }

        public Node build() {
            return new Node(name, type, mode, uid, gid, user, group, atime, mtime, ctime, inode, device, links, rdev,
                    size, xattrs, content, subtree, linkTarget, flags);
        }
    }
}
