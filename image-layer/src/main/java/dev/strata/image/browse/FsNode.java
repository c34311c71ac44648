package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;

/**
 * One file, folder or link of a browsed filesystem, as its metadata says. Immutable.
 *
 * @param id     the filesystem's number for it (the ext inode; for FAT the position of its entry), equal for hard links
 * @param mode   permission bits (07777)
 * @param blocks allocated 512-byte blocks
 * @param ref    where its data starts, in the reader's own terms (the FAT first cluster; unused for ext)
 */
public record FsNode(long id, NodeType type, int mode, long uid, long gid, long size, long blocks, Timestamp atime,
                     Timestamp mtime, Timestamp ctime, long links, long rdev, long ref) {
}
