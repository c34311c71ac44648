package dev.strata.image.view;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.image.browse.BrowsableFs;
import dev.strata.image.browse.FsChild;
import dev.strata.image.browse.FsNode;
import dev.strata.snapshot.view.ViewContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file, folder or link inside an imaged filesystem ({@code images/<name>/<time>/partN/…}),
 * read-only, with the metadata the filesystem has (computed once per entry). Names the reader finds damaged are left out of
 * the listing and reported to the mount's log once per folder; a damaged file answers EIO when
 * read. A folder's names and listing are made once and kept, by one thread: a request for a folder
 * that {@link MetadataReadAhead} is listing waits for it rather than reading the same blocks again.
 * Thread-safe.
 */
final class BrowsedNode implements ViewNode {
    private final ViewContext ctx;
    private final BrowsableFs fs;
    private final OpenFile data;
    private final FsNode node;
    private final String viewPath;
    private final byte[] snapshot;
    private final long device;
    private volatile Map<String, BrowsedNode> children;

    /**
     * @param data   the partition's bytes for file contents, from its first byte (read-ahead in the device's order)
     * @param device distinguishes the filesystems of one snapshot in inode numbers (hard links share one within a filesystem)
     */
    BrowsedNode(ViewContext ctx, BrowsableFs fs, OpenFile data, FsNode node, String viewPath, byte[] snapshot, long device) {
        this.ctx = ctx;
        this.fs = fs;
        this.data = data;
        this.node = node;
        this.viewPath = viewPath;
        this.snapshot = snapshot;
        this.device = device;
    }

    /** Computed once: a listing and the kernel's lookups and getattrs all ask. */
    private volatile Attributes attributes;
    /** The listing, made once from {@link #children}. */
    private volatile List<DirEntry> listing;

    @Override
    public Attributes attributes() {
        Attributes a = attributes;
        if (a == null) {
            a = makeAttributes();
            attributes = a;
        }
        return a;
    }

    private Attributes makeAttributes() {
        long uid = node.uid() < 0 ? ctx.uid : node.uid();
        long gid = node.gid() < 0 ? ctx.gid : node.gid();
        return new Attributes(node.type(), node.mode(), uid, gid, node.size(), node.blocks(), node.atime(), node.mtime(),
                node.ctime(), Inodes.ofSaved(snapshot, device, node.id()), node.links(), node.rdev());
    }

    private Map<String, BrowsedNode> children() throws IOException {
        Map<String, BrowsedNode> c = children;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            return children == null ? readChildren() : children;
        }
    }

    private Map<String, BrowsedNode> readChildren() throws IOException {
        Map<String, BrowsedNode> m = new LinkedHashMap<>();
        List<String> damaged = new ArrayList<>();
        for (FsChild child : fs.list(node)) {
            if (child.readable()) {
                m.put(child.name(), new BrowsedNode(ctx, fs, data, child.node(), ImageSnapshotDir.join(viewPath, child.name()), snapshot, device));
            } else {
                damaged.add(child.name() + ": " + child.damage());
            }
        }
        for (String d : damaged) {
            ctx.problem(viewPath + "/" + d);
        }
        Map<String, BrowsedNode> c = Collections.unmodifiableMap(m);
        children = c;
        return c;
    }

    @Override
    public List<DirEntry> list() throws IOException {
        List<DirEntry> l = listing;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (listing == null) {
                List<DirEntry> out = new ArrayList<>();
                for (Map.Entry<String, BrowsedNode> e : children().entrySet()) {
                    out.add(new DirEntry(e.getKey(), e.getValue().attributes()));
                }
                listing = List.copyOf(out);
            }
            return listing;
        }
    }

    /** The folders in this folder, in listing order (lists it when that is not done yet). */
    List<BrowsedNode> subfolders() throws IOException {
        List<BrowsedNode> out = new ArrayList<>();
        for (BrowsedNode child : children().values()) {
            if (child.node.type() == NodeType.DIRECTORY) {
                out.add(child);
            }
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        return Optional.ofNullable(children().get(name));
    }

    @Override
    public OpenFile open() {
        return new BrowsedFileReader(fs, data, node);
    }

    @Override
    public byte[] readLink() throws IOException {
        return fs.readLink(node);
    }

    @Override
    public List<Xattr> xattrs() throws IOException {
        return fs.xattrs(node);
    }

    @Override
    public String toString() {
        return viewPath;
    }
}
