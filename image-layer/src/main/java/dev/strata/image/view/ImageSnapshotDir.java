package dev.strata.image.view;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ViewNode;
import dev.strata.image.ImageDescription;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.view.ViewContext;
import dev.strata.snapshot.view.VirtualDir;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code images/<name>/<time>/}: {@code disk.img}, the whole device, and {@code partN.img} for
 * each partition N (the partition's byte range of the same content). Immutable, thread-safe.
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
        for (ImageDescription.PartitionInfo p : d.partitions()) {
            long length = Math.max(0, Math.min(p.length(), disk.size() - p.start()));
            if (length > 0) {
                m.put("part" + p.number() + ".img", new ImageFile(ctx, id, disk, p.number(), p.start(), length));
            }
        }
        entries = m;
        return m;
    }
}
