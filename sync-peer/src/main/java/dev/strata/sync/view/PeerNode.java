package dev.strata.sync.view;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.view.ViewOwner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One path of what a peer holds of a shared volume ({@code peers/<device>/<volume>/<path>}), as the
 * peer's record of it last said: a folder lists the peer's records of the names in it, a file reads
 * the record's content, a symlink gives its target. Modes lose their write bits: the view is
 * read-only. Thread-safe.
 */
final class PeerNode implements ViewNode {
    /** What every node of one peer's volume shares. */
    record Place(SharedVolume volume, DeviceId peer, Reads reads, ViewOwner owner) {
        String inodePath(byte[] path) {
            return "/peers/" + peer + "/" + volume.name() + "/" + NameBytes.decode(path);
        }
    }

    private final Place place;
    private final byte[] path;
    /** Null for the volume's root, whose own metadata does not travel. */
    private final SyncRecord record;

    private PeerNode(Place place, byte[] path, SyncRecord record) {
        this.place = place;
        this.path = path;
        this.record = record;
    }

    static PeerNode root(Place place) {
        return new PeerNode(place, new byte[0], null);
    }

    @Override
    public Attributes attributes() {
        ViewOwner o = place.owner();
        long inode = Inodes.ofPath(place.inodePath(path));
        if (record == null) {
            return Attributes.virtualDirectory(inode, o.time(), o.uid(), o.gid());
        }
        int mode = record.mode() & ~0222;
        long size = switch (record.type()) {
            case FILE -> record.size();
            case SYMLINK -> record.target().length;
            default -> 0;
        };
        long links = record.type() == NodeType.DIRECTORY ? 2 : 1;
        return new Attributes(record.type(), mode, record.uid(), record.gid(), size, (size + 511) / 512, record.mtime(),
                record.mtime(), record.mtime(), inode, links, 0);
    }

    private boolean folder() {
        return record == null || record.type() == NodeType.DIRECTORY;
    }

    @Override
    public List<DirEntry> list() throws IOException {
        if (!folder()) {
            return ViewNode.super.list();
        }
        List<DirEntry> out = new ArrayList<>();
        for (SyncRecord r : place.volume().peerFolder(place.peer(), path)) {
            out.add(new DirEntry(NameBytes.decode(name(r.path())), new PeerNode(place, r.path(), r).attributes()));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        if (!folder()) {
            return ViewNode.super.child(name);
        }
        byte[] childPath = join(path, NameBytes.encode(name));
        SyncRecord r = place.volume().peerRecord(place.peer(), childPath);
        return r == null ? Optional.empty() : Optional.of(new PeerNode(place, childPath, r));
    }

    @Override
    public OpenFile open() throws IOException {
        if (record == null || record.type() != NodeType.FILE) {
            return ViewNode.super.open();
        }
        return new PeerFile(place.reads(), place.volume(), place.peer(), record);
    }

    @Override
    public byte[] readLink() throws IOException {
        if (record == null || record.type() != NodeType.SYMLINK) {
            return ViewNode.super.readLink();
        }
        return record.target();
    }

    @Override
    public List<Xattr> xattrs() {
        return record == null ? List.of() : record.xattrs();
    }

    @Override
    public boolean immutable() {
        return false;
    }

    @Override
    public String toString() {
        return place.inodePath(path);
    }

    private static byte[] name(byte[] path) {
        int slash = path.length - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        return java.util.Arrays.copyOfRange(path, slash + 1, path.length);
    }

    private static byte[] join(byte[] folder, byte[] name) {
        if (folder.length == 0) {
            return name;
        }
        return ByteBuffer.allocate(folder.length + 1 + name.length).put(folder).put((byte) '/').put(name).array();
    }
}
