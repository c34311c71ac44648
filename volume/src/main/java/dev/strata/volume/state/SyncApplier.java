package dev.strata.volume.state;

import dev.strata.core.index.LmdbTxn;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;

import java.io.IOException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Makes one path of the volume hold what a peer's record says, inside one step of the state: folders
 * on the way made, the name made, linked into its hard-link group, replaced or removed, metadata and
 * content set (a new content is a new version in the path's history). Used once, by one step.
 */
final class SyncApplier {
    enum Outcome { DONE, OPEN, KEPT }

    private final VolumeState state;
    private final LmdbTxn tx;
    private final Timestamp now;

    SyncApplier(VolumeState state, LmdbTxn tx, Timestamp now) {
        this.state = state;
        this.tx = tx;
        this.now = now;
    }

    Outcome apply(SyncRecord r, OpenFiles files) throws IOException {
        LongPredicate isOpen = files::isOpen;
        byte[] path = r.path();
        int slash = lastSlash(path);
        byte[] folderPath = slash < 0 ? new byte[0] : Arrays.copyOf(path, slash);
        byte[] name = Arrays.copyOfRange(path, slash + 1, path.length);
        long parent = r.deleted() ? existingFolder(folderPath) : folders(folderPath);
        if (parent == 0) {
            return Outcome.DONE; // a tombstone below a folder that is not here: nothing to remove
        }
        long curIno = state.applierEntry(tx, parent, name);
        Inode cur = curIno == 0 ? null : state.applierGet(tx, curIno);
        if (cur != null && cur.type() == NodeType.FILE && (files.busy(cur.ino()) || cur.staging() != null)) {
            // Open for writing, or with unsealed changes: those are the local side's; the record waits
            // for the close. A file only read here is changed: its readers see the new content.
            return Outcome.OPEN;
        }
        if (r.deleted()) {
            if (cur == null) {
                return Outcome.DONE;
            }
            if (cur.isDirectory() && state.applierHasEntries(tx, cur.ino())) {
                return Outcome.KEPT;
            }
            remove(parent, name, cur, isOpen);
            return Outcome.DONE;
        }
        long groupIno = r.type() == NodeType.FILE && r.group() != 0 ? groupInode(r.group(), path) : 0;
        if (cur != null && (cur.type() != r.type() || (groupIno != 0 && groupIno != cur.ino())
                || (r.type() == NodeType.FILE && r.group() == 0 && cur.nlink() > 1))) {
            if (cur.isDirectory() && state.applierHasEntries(tx, cur.ino())) {
                return Outcome.KEPT;
            }
            remove(parent, name, cur, isOpen);
            cur = null;
        }
        if (cur == null) {
            cur = make(r, parent, name, groupIno);
        }
        set(r, cur);
        return Outcome.DONE;
    }

    /**
     * Moves the file at {@code gone}'s path to {@code moved}'s and gives it {@code moved}'s metadata;
     * null, with nothing changed, when the file here is not one that rename can move there (see
     * {@code VolumeState.syncApplyRename}).
     */
    Outcome rename(SyncRecord gone, SyncRecord moved, OpenFiles files) throws IOException {
        if (moved.deleted() || moved.type() != NodeType.FILE || !gone.deleted()) {
            return null;
        }
        Inode n = state.applierLookup(tx, gone.path());
        if (n == null || n.type() != NodeType.FILE || n.nlink() != 1 || !n.content().equals(moved.content())
                || n.size() != moved.size() || moved.group() != 0) {
            return null;
        }
        if (files.busy(n.ino()) || n.staging() != null) {
            return Outcome.OPEN;
        }
        byte[] to = moved.path();
        int slash = lastSlash(to);
        byte[] toFolder = slash < 0 ? new byte[0] : Arrays.copyOf(to, slash);
        byte[] toName = Arrays.copyOfRange(to, slash + 1, to.length);
        if (isBelow(toFolder, gone.path())) {
            return null;
        }
        long newParent = existingFolder(toFolder);
        if (newParent == 0) {
            if (state.applierLookup(tx, toFolder) != null) {
                return null; // something else than a folder is on the way
            }
            newParent = folders(toFolder);
        }
        if (state.applierEntry(tx, newParent, toName) != 0) {
            return null;
        }
        byte[] from = gone.path();
        int fromSlash = lastSlash(from);
        long oldParent = existingFolder(fromSlash < 0 ? new byte[0] : Arrays.copyOf(from, fromSlash));
        state.applierDeleteEntry(tx, oldParent, Arrays.copyOfRange(from, fromSlash + 1, from.length));
        state.applierPutEntry(tx, newParent, toName, n.ino());
        Inode placed = n.withPlace(newParent, toName, now);
        state.applierPut(tx, placed);
        state.applierCarryHistory(tx, placed, gone.path(), to, now);
        set(moved, state.applierGet(tx, n.ino()));
        return Outcome.DONE;
    }

    /** Whether {@code path} is {@code folder} or below it. */
    private static boolean isBelow(byte[] path, byte[] folder) {
        return path.length >= folder.length && Arrays.equals(path, 0, folder.length, folder, 0, folder.length)
                && (path.length == folder.length || path[folder.length] == '/');
    }

    private Inode make(SyncRecord r, long parent, byte[] name, long groupIno) throws IOException {
        Inode dir = state.applierGet(tx, parent);
        Inode n;
        if (groupIno != 0) {
            Inode linked = state.applierGet(tx, groupIno);
            n = linked.withLinks(linked.nlink() + 1, now).withPlace(parent, name, now);
        } else {
            long ino = state.applierNextIno(tx);
            n = Inode.of(ino, r.type(), r.mode(), r.uid(), r.gid(), 0,
                    r.type() == NodeType.SYMLINK ? r.target() : null, now, parent, name);
            if (r.group() != 0) {
                state.applierIndex().setGroup(tx, ino, r.group());
            }
        }
        state.applierPut(tx, n);
        state.applierPutEntry(tx, parent, name, n.ino());
        // The folder's time is its record's: the peer's record of it, sent after this change, says it.
        state.applierPut(tx, dir.withLinks(n.isDirectory() ? dir.nlink() + 1 : dir.nlink(), now));
        return n;
    }

    /** Gives inode {@code n} the record's metadata and content. */
    private void set(SyncRecord r, Inode n) {
        FileContent content = n.content();
        long size = n.size();
        if (r.type() == NodeType.FILE && !r.content().equals(n.content())) {
            content = r.content();
            size = r.size();
            state.applierVersion(tx, r.path(), now, n.ino(), content, r.mtime(), r.mode());
        }
        byte[] target = r.type() == NodeType.SYMLINK ? r.target() : n.target();
        Inode m = new Inode(n.ino(), n.type(), r.mode(), r.uid(), r.gid(), n.atime(), r.mtime(), now, n.nlink(), n.rdev(),
                n.type() == NodeType.FILE ? size : n.size(), r.xattrs(), content, target, n.parent(), n.name(), null);
        state.applierPut(tx, m);
    }

    private void remove(long parent, byte[] name, Inode n, LongPredicate isOpen) throws IOException {
        Inode dir = state.applierGet(tx, parent);
        state.applierDeleteEntry(tx, parent, name);
        state.applierPut(tx, dir.withLinks(n.isDirectory() ? dir.nlink() - 1 : dir.nlink(), now));
        state.applierUnlink(tx, n, isOpen, now);
    }

    /** The inode of another name of hard-link group {@code group} here, or 0. */
    private long groupInode(long group, byte[] path) throws IOException {
        for (byte[] other : state.applierIndex().names(tx, group)) {
            if (Arrays.equals(other, path)) {
                continue;
            }
            Inode n = state.applierLookup(tx, other);
            if (n != null && n.type() == NodeType.FILE) {
                return n.ino();
            }
        }
        return 0;
    }

    /** The folder at {@code folderPath}, made (with the mode and owner of the one above) where missing. */
    private long folders(byte[] folderPath) throws IOException {
        long at = Inode.ROOT;
        int from = 0;
        while (from < folderPath.length) {
            int slash = from;
            while (slash < folderPath.length && folderPath[slash] != '/') {
                slash++;
            }
            byte[] name = Arrays.copyOfRange(folderPath, from, slash);
            long child = state.applierEntry(tx, at, name);
            if (child == 0) {
                Inode dir = state.applierGet(tx, at);
                Inode made = Inode.folder(state.applierNextIno(tx), dir.mode() & 0777, dir.uid(), dir.gid(), now, at, name);
                state.applierPut(tx, made);
                state.applierPutEntry(tx, at, name, made.ino());
                state.applierPut(tx, dir.withLinks(dir.nlink() + 1, now));
                child = made.ino();
            } else if (!state.applierGet(tx, child).isDirectory()) {
                throw new NotDirectoryException(VolumeState.printable(Arrays.copyOf(folderPath, slash))
                        + " is not a folder here");
            }
            at = child;
            from = slash + 1;
        }
        return at;
    }

    private long existingFolder(byte[] folderPath) throws IOException {
        if (folderPath.length == 0) {
            return Inode.ROOT;
        }
        Inode n = state.applierLookup(tx, folderPath);
        return n != null && n.isDirectory() ? n.ino() : 0;
    }

    private static int lastSlash(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }
}
