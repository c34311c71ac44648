package dev.strata.volume.state;

import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One file, folder, symlink or special file of a volume with all its metadata. Immutable; every
 * change makes a new record ({@code with…}).
 *
 * @param nlink    names pointing to it (folders: 2 + subfolders, as on Linux)
 * @param content  files: the content of the last sealed version (empty for a new file); else null
 * @param target   symlinks: the target bytes; else null
 * @param parent   the folder holding its most recent name (folders have exactly one); 0 for the root
 * @param name     that most recent name, as bytes (empty for the root)
 * @param staging  files with changes not yet sealed into a version; else null
 */
public record Inode(long ino, NodeType type, int mode, long uid, long gid, Timestamp atime, Timestamp mtime,
                    Timestamp ctime, long nlink, long rdev, long size, List<Xattr> xattrs, FileContent content,
                    byte[] target, long parent, byte[] name, Staging staging) {
    public static final long ROOT = 1;

    public Inode {
        Objects.requireNonNull(type, "type");
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode has bits beyond 07777: " + Integer.toOctalString(mode));
        }
        if ((type == NodeType.FILE) != (content != null)) {
            throw new IllegalArgumentException("only files have content");
        }
        if ((type == NodeType.SYMLINK) != (target != null)) {
            throw new IllegalArgumentException("only symlinks have a target");
        }
        if (staging != null && type != NodeType.FILE) {
            throw new IllegalArgumentException("only files are staged");
        }
        xattrs = List.copyOf(xattrs);
        target = target == null ? null : target.clone();
        name = name.clone();
    }

    public boolean isDirectory() {
        return type == NodeType.DIRECTORY;
    }

    @Override
    public byte[] target() {
        return target == null ? null : target.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public Inode withMode(int newMode, Timestamp now) {
        return new Inode(ino, type, newMode, uid, gid, atime, mtime, now, nlink, rdev, size, xattrs, content, target,
                parent, name, staging);
    }

    public Inode withOwner(long newUid, long newGid, Timestamp now) {
        return new Inode(ino, type, mode, newUid, newGid, atime, mtime, now, nlink, rdev, size, xattrs, content, target,
                parent, name, staging);
    }

    public Inode withTimes(Timestamp newAtime, Timestamp newMtime, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, newAtime, newMtime, now, nlink, rdev, size, xattrs, content, target,
                parent, name, staging);
    }

    public Inode withLinks(long newNlink, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, mtime, now, newNlink, rdev, size, xattrs, content, target,
                parent, name, staging);
    }

    /** A folder whose entries changed: mtime and ctime move. */
    public Inode touched(Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, now, now, nlink, rdev, size, xattrs, content, target,
                parent, name, staging);
    }

    public Inode withPlace(long newParent, byte[] newName, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, mtime, now, nlink, rdev, size, xattrs, content, target,
                newParent, newName, staging);
    }

    public Inode withXattrs(List<Xattr> newXattrs, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, mtime, now, nlink, rdev, size, newXattrs, content, target,
                parent, name, staging);
    }

    /** The file's data changed (written or truncated): size, staging, mtime and ctime. */
    public Inode withData(long newSize, Staging newStaging, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, now, now, nlink, rdev, newSize, xattrs, content, target,
                parent, name, newStaging);
    }

    /** The file's staged changes became a version with {@code sealed} content, last modified at {@code modified}. */
    public Inode sealed(FileContent sealed, Timestamp modified) {
        Timestamp changed = ctime.compareTo(modified) < 0 ? modified : ctime;
        return new Inode(ino, type, mode, uid, gid, atime, modified, changed, nlink, rdev, sealed.size(), xattrs, sealed,
                target, parent, name, null);
    }

    /** The file's unsealed changes as of an fsync: size, where they are, when they were made. */
    public Inode staged(long newSize, Staging newStaging, Timestamp modified) {
        Timestamp changed = ctime.compareTo(modified) < 0 ? modified : ctime;
        return new Inode(ino, type, mode, uid, gid, atime, modified, changed, nlink, rdev, newSize, xattrs, content,
                target, parent, name, newStaging);
    }

    /** The same metadata with the given content as of a past version, staging dropped (rollback). */
    public Inode withContent(FileContent newContent, Timestamp newMtime, Timestamp now) {
        return new Inode(ino, type, mode, uid, gid, atime, newMtime, now, nlink, rdev, newContent.size(), xattrs,
                newContent, target, parent, name, null);
    }

    public static Inode folder(long ino, int mode, long uid, long gid, Timestamp now, long parent, byte[] name) {
        return new Inode(ino, NodeType.DIRECTORY, mode, uid, gid, now, now, now, 2, 0, 0, List.of(), null, null,
                parent, name, null);
    }

    public static Inode of(long ino, NodeType type, int mode, long uid, long gid, long rdev, byte[] target,
                           Timestamp now, long parent, byte[] name) {
        if (type == NodeType.DIRECTORY) {
            return folder(ino, mode, uid, gid, now, parent, name);
        }
        long size = type == NodeType.SYMLINK ? target.length : 0;
        return new Inode(ino, type, mode, uid, gid, now, now, now, 1, rdev, size, List.of(),
                type == NodeType.FILE ? FileContent.EMPTY : null, target, parent, name, null);
    }

    /** Xattrs with {@code name} set to {@code value}. */
    public List<Xattr> xattrsWith(String xname, byte[] value) {
        List<Xattr> out = new ArrayList<>();
        for (Xattr x : xattrs) {
            if (!x.name().equals(xname)) {
                out.add(x);
            }
        }
        out.add(new Xattr(xname, value));
        out.sort(null);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inode i && ino == i.ino && type == i.type && mode == i.mode && uid == i.uid && gid == i.gid
                && atime.equals(i.atime) && mtime.equals(i.mtime) && ctime.equals(i.ctime) && nlink == i.nlink
                && rdev == i.rdev && size == i.size && xattrs.equals(i.xattrs) && Objects.equals(content, i.content)
                && Arrays.equals(target, i.target) && parent == i.parent && Arrays.equals(name, i.name)
                && Objects.equals(staging, i.staging);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ino) * 31 + ctime.hashCode();
    }
}
