package dev.strata.core.view;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;

/**
 * What {@code stat} shows for one entry of a view.
 *
 * @param inode  stable across remounts; names sharing an inode are hard links
 * @param blocks allocated 512-byte blocks (holes of sparse files take none)
 */
public record Attributes(NodeType type, int mode, long uid, long gid, long size, long blocks, Timestamp atime,
                         Timestamp mtime, Timestamp ctime, long inode, long links, long rdev) {

    /** A read-only folder that exists only in the view (snapshots/, versions/, …). */
    public static Attributes virtualDirectory(long inode, Timestamp time, long uid, long gid) {
        return new Attributes(NodeType.DIRECTORY, 0555, uid, gid, 0, 0, time, time, time, inode, 2, 0);
    }

    /** A symlink that exists only in the view (latest, ids/…). */
    public static Attributes virtualSymlink(long inode, Timestamp time, long uid, long gid, int targetLength) {
        return new Attributes(NodeType.SYMLINK, 0777, uid, gid, targetLength, 0, time, time, time, inode, 1, 0);
    }
}
