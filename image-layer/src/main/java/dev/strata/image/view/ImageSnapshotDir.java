package dev.strata.image.view;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.image.ImageDescription;
import dev.strata.image.browse.BrowsableFilesystems;
import dev.strata.image.browse.BrowsableFs;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.view.ContentReader;
import dev.strata.snapshot.view.ViewContext;
import dev.strata.snapshot.view.VirtualDir;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code images/<name>/<time>/}: {@code disk.img}, the whole device, and {@code partN.img} for
 * each partition N (the partition's byte range of the same content); beside them {@code partN/}
 * (or {@code disk/} for a device without a partition table), the files of each filesystem Strata
 * can read. Immutable, thread-safe.
 */
final class ImageSnapshotDir extends VirtualDir {
    private final Snapshot snapshot;
    private volatile Map<String, ViewNode> entries;

    ImageSnapshotDir(ViewContext ctx, String viewPath, Snapshot snapshot) {
        super(ctx, viewPath);
        this.snapshot = snapshot;
    }

    static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    @Override
    protected Timestamp time() {
        return Timestamp.of(snapshot.time());
    }

    @Override
    public boolean immutable() {
        return true;
    }

    /**
     * Adds {@code name/}, the files of the filesystem in {@code file}, when Strata can read it; else
     * only the image file is there and the mount's log says why.
     */
    private void browse(ImageFile file, String name, String filesystem, long length, int partition, Map<String, ViewNode> out) {
        String path = join(viewPath, name);
        if (filesystem == null || !(filesystem.startsWith("ext") || filesystem.startsWith("fat"))) {
            ctx.problem(path + ": not browsable: " + (filesystem == null || filesystem.equals("unknown") ? "no filesystem Strata knows"
                    : filesystem + " is not a filesystem Strata reads yet") + "; " + file + " holds its bytes");
            return;
        }
        try {
            // Metadata is read where the folders and inodes are, without read-ahead in the device's order
            // (decoding the chunks after a folder block is wasted work) and without filling the chunk
            // cache (each folder block would keep a whole chunk in the heap): the blocks read are kept
            // instead. File contents are read through a reader of their own, with read-ahead in the device's
            // order for that reader alone: through the chunk cache, every decoded chunk outlived the young
            // generation and reading a whole image meant one full collection after another.
            BrowsableFs fs = BrowsableFilesystems.open(new MetadataSource(
                    new PartitionSource(file.open(ContentReader.Access.SCATTERED), length)));
            OpenFile data = file.open(ContentReader.Access.STREAMED);
            // Devices below -1 (the image files' own) tell the filesystems of one snapshot apart.
            BrowsedNode root = new BrowsedNode(ctx, fs, data, fs.root(), path, snapshot.id().bytes(), -2L - partition);
            // Someone is looking into this image: its folders are listed ahead of the requests to come.
            MetadataReadAhead.start(ctx, root);
            out.put(name, root);
        } catch (IOException | RuntimeException e) {
            ctx.problem(path + ": not browsable: " + e.getMessage() + "; " + file + " holds its bytes");
        }
    }

    @Override
    protected Map<String, ViewNode> entries() throws IOException {
        Map<String, ViewNode> e = entries;
        if (e != null) {
            return e;
        }
        ImageDescription d = ImageDescription.fromJson(snapshot.extra());
        Node disk = ctx.trees.read(snapshot.tree()).find(ImageDescription.DISK_FILE).filter(Node::isFile)
                .orElseThrow(() -> new CorruptDataException("image snapshot " + snapshot.shortId() + " has no "
                        + ImageDescription.DISK_FILE));
        byte[] id = snapshot.id().bytes();
        Map<String, ViewNode> m = new LinkedHashMap<>();
        m.put(ImageDescription.DISK_FILE, new ImageFile(ctx, id, disk, 0, 0, disk.size()));
        Map<String, ViewNode> browsable = new LinkedHashMap<>();
        for (ImageDescription.PartitionInfo p : d.partitions()) {
            long length = Math.max(0, Math.min(p.length(), disk.size() - p.start()));
            if (length > 0) {
                ImageFile file = new ImageFile(ctx, id, disk, p.number(), p.start(), length);
                m.put("part" + p.number() + ".img", file);
                browse(file, "part" + p.number(), p.filesystem(), length, p.number(), browsable);
            }
        }
        if (d.partitions().isEmpty()) {
            browse((ImageFile) m.get(ImageDescription.DISK_FILE), "disk", d.volume() == null ? "unknown" : d.volume().filesystem(),
                    disk.size(), 0, browsable);
        }
        m.putAll(browsable);
        entries = m;
        return m;
    }
}
