package dev.strata.volume.view;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.Caller;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.PosixError;
import dev.strata.core.view.SpaceInfo;
import dev.strata.core.view.PosixException;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.data.VolumeData;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One file, folder, symlink or special file of a live volume as a view: reads from the volume's state
 * and data, and the write calls change them. Thread-safe (the state and data are).
 */
final class VolumeNode implements ViewNode {
    private final LiveVolume volume;
    private final long ino;

    VolumeNode(LiveVolume volume, long ino) {
        this.volume = volume;
        this.ino = ino;
    }

    long ino() {
        return ino;
    }

    private VolumeState state() {
        return volume.state();
    }

    private VolumeData data() {
        return volume.data();
    }

    @Override
    public Attributes attributes() throws IOException {
        // What open handles see is taken before the record: a file's last close seals its changes into
        // the record before it leaves the open files, so a record read after is never older than them.
        // (The other order could pair a record from before a close with no open handles: a size as of
        // the last fsync.)
        Optional<VolumeData.Live> live = data().live(ino);
        return attributes(state().inode(ino), live);
    }

    private Attributes attributes(Inode n, Optional<VolumeData.Live> live) throws IOException {
        long size = n.size();
        Timestamp mtime = n.mtime();
        long blocks = (size + 511) / 512;
        if (n.type() == NodeType.FILE) {
            long dataBytes;
            if (live.isPresent()) {
                size = live.get().size();
                mtime = live.get().mtime();
                dataBytes = live.get().dataBytes();
            } else {
                dataBytes = data().dataBytes(n);
            }
            // As a local filesystem allocates: data only, holes take nothing, in 4 KiB blocks.
            blocks = (dataBytes + 4095) / 4096 * 8;
        }
        Timestamp ctime = n.ctime().compareTo(mtime) < 0 ? mtime : n.ctime();
        return new Attributes(n.type(), n.mode(), n.uid(), n.gid(), size, blocks, n.atime(), mtime, ctime,
                volume.mountInode(n.ino()), n.nlink(), n.rdev());
    }

    @Override
    public List<DirEntry> list() throws IOException {
        List<VolumeState.Child> children = state().list(ino);
        List<DirEntry> out = new ArrayList<>(children.size());
        for (VolumeState.Child c : children) {
            // Listings give the kernel names, types and inodes; their sizes are not cached as a file's.
            out.add(new DirEntry(Names.string(c.name()), attributes(c.inode(), data().live(c.inode().ino()))));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        byte[] bytes = Names.bytes(name);
        if (bytes.length > VolumeState.NAME_MAX) {
            // As local filesystems answer, so that a program learns the name cannot exist here.
            throw new PosixException(PosixError.ENAMETOOLONG, "a name is at most " + VolumeState.NAME_MAX + " bytes");
        }
        return state().lookup(ino, bytes).map(n -> new VolumeNode(volume, n.ino()));
    }

    @Override
    public OpenFile open() throws IOException {
        requireFile();
        return data().open(ino, false);
    }

    @Override
    public OpenFile openForWriting() throws IOException {
        requireFile();
        return data().open(ino, true);
    }

    @Override
    public byte[] readLink() throws IOException {
        Inode n = state().inode(ino);
        if (n.type() != NodeType.SYMLINK) {
            throw new PosixException(PosixError.EINVAL, "not a symlink");
        }
        return n.target();
    }

    @Override
    public List<Xattr> xattrs() throws IOException {
        return state().inode(ino).xattrs();
    }

    @Override
    public boolean immutable() {
        return false;
    }

    @Override
    public Optional<SpaceInfo> space() throws IOException {
        return Optional.of(volume.space());
    }

    @Override
    public void sync() throws IOException {
        state().commit();
    }

    @Override
    public OpenFile create(String name, int mode, Caller caller) throws IOException {
        Inode n = state().create(ino, Names.bytes(name), NodeType.FILE, mode & 07777, caller.uid(), caller.gid(), 0, null);
        return data().open(n.ino(), true);
    }

    @Override
    public void mkdir(String name, int mode, Caller caller) throws IOException {
        state().create(ino, Names.bytes(name), NodeType.DIRECTORY, mode & 07777, caller.uid(), caller.gid(), 0, null);
    }

    @Override
    public void mknod(String name, int mode, long rdev, Caller caller) throws IOException {
        NodeType type = switch (mode & 0170000) {
            case 0010000 -> NodeType.FIFO;
            case 0020000 -> NodeType.CHAR_DEVICE;
            case 0060000 -> NodeType.BLOCK_DEVICE;
            case 0140000 -> NodeType.SOCKET;
            case 0100000, 0 -> NodeType.FILE;
            default -> throw new PosixException(PosixError.EINVAL, "unknown file type " + Integer.toOctalString(mode));
        };
        boolean device = type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE;
        state().create(ino, Names.bytes(name), type, mode & 07777, caller.uid(), caller.gid(), device ? rdev : 0, null);
    }

    @Override
    public void symlink(String name, byte[] target, Caller caller) throws IOException {
        if (target.length == 0 || target.length >= 4096) {
            throw new PosixException(target.length == 0 ? PosixError.ENOENT : PosixError.ENAMETOOLONG, "symlink target");
        }
        state().create(ino, Names.bytes(name), NodeType.SYMLINK, 0777, caller.uid(), caller.gid(), 0, target);
    }

    @Override
    public void link(String name, ViewNode existing) throws IOException {
        state().link(sameVolume(existing).ino, ino, Names.bytes(name));
    }

    @Override
    public void remove(String name, boolean directory) throws IOException {
        byte[] bytes = Names.bytes(name);
        data().removed(state().remove(ino, bytes, directory, data()::isOpen));
        volume.deleted(ino, bytes);
    }

    @Override
    public void rename(String name, ViewNode target, String newName) throws IOException {
        long to = sameVolume(target).ino;
        byte[] newBytes = Names.bytes(newName);
        Inode replaced = state().rename(ino, Names.bytes(name), to, newBytes, data()::isOpen);
        if (replaced != null && !replaced.isDirectory()) {
            volume.replaced(to, newBytes);
        }
    }

    @Override
    public void setMode(int mode) throws IOException {
        state().update(ino, n -> n.withMode(mode & 07777, volume.now()));
    }

    @Override
    public void setOwner(long uid, long gid) throws IOException {
        state().update(ino, n -> n.withOwner(uid < 0 ? n.uid() : uid, gid < 0 ? n.gid() : gid, volume.now()));
    }

    @Override
    public void setTimes(Timestamp atime, Timestamp mtime) throws IOException {
        data().changeTimes(ino, () -> state().update(ino, r -> r.withTimes(atime == null ? r.atime() : atime,
                mtime == null ? r.mtime() : mtime, volume.now())));
    }

    @Override
    public void truncate(long size) throws IOException {
        requireFile();
        if (size < 0) {
            throw new PosixException(PosixError.EINVAL, "negative size");
        }
        data().truncate(ino, size);
    }

    @Override
    public void setXattr(String name, byte[] value) throws IOException {
        state().update(ino, n -> n.withXattrs(n.xattrsWith(name, value), volume.now()));
    }

    @Override
    public void removeXattr(String name) throws IOException {
        boolean has = state().inode(ino).xattrs().stream().anyMatch(x -> x.name().equals(name));
        if (!has) {
            throw new PosixException(PosixError.ENODATA, "no attribute " + name);
        }
        state().update(ino, n -> {
            List<Xattr> kept = new ArrayList<>();
            for (Xattr x : n.xattrs()) {
                if (!x.name().equals(name)) {
                    kept.add(x);
                }
            }
            return n.withXattrs(kept, volume.now());
        });
    }

    private void requireFile() throws IOException {
        Inode n = state().inode(ino);
        if (n.type() == NodeType.DIRECTORY) {
            throw new PosixException(PosixError.EISDIR, "a folder");
        }
        if (n.type() != NodeType.FILE) {
            throw new PosixException(PosixError.EINVAL, "not a regular file");
        }
    }

    private VolumeNode sameVolume(ViewNode other) throws IOException {
        if (other instanceof VolumeNode v && v.volume == volume) {
            return v;
        }
        throw new PosixException(PosixError.EXDEV, "not in the same volume");
    }

    @Override
    public String toString() {
        return volume.name() + ":" + ino;
    }
}
