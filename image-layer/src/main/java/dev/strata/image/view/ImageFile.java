package dev.strata.image.view;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.ContentReader;
import dev.strata.snapshot.view.ViewContext;

import java.io.IOException;

/**
 * {@code disk.img} or {@code partN.img}: a read-only window {@code [start, start + length)} over the
 * device's content, read through the snapshot view's chunk reader (read-ahead, holes as zeros).
 * Its block count covers only the data in the window, so it is as sparse as the image. Immutable,
 * thread-safe.
 */
final class ImageFile implements ViewNode {
    private final ViewContext ctx;
    private final byte[] snapshot;
    private final Node disk;
    private final int partition;
    private final long start;
    private final long length;

    ImageFile(ViewContext ctx, byte[] snapshot, Node disk, int partition, long start, long length) {
        this.ctx = ctx;
        this.snapshot = snapshot;
        this.disk = disk;
        this.partition = partition;
        this.start = start;
        this.length = length;
    }

    @Override
    public Attributes attributes() throws IOException {
        long data = 0;
        long pos = 0;
        long end = start + length;
        for (ChunkRef r : ctx.refs(disk.content())) {
            long rEnd = pos + r.length();
            if (!r.isHole() && rEnd > start && pos < end) {
                data += Math.min(rEnd, end) - Math.max(pos, start);
            }
            pos = rEnd;
            if (pos >= end) {
                break;
            }
        }
        long blocks = (data + 4095) / 4096 * 8;
        // Device -1 cannot clash with a saved file's; the partition number tells the files apart.
        return new Attributes(NodeType.FILE, 0444, ctx.uid, ctx.gid, length, blocks, disk.mtime(), disk.mtime(), disk.ctime(),
                Inodes.ofSaved(snapshot, -1, partition), 1, 0);
    }

    @Override
    public OpenFile open() throws IOException {
        return open(ContentReader.Access.SEQUENTIAL);
    }

    /** The window's bytes, read as {@code access} says. */
    OpenFile open(ContentReader.Access access) throws IOException {
        ContentReader reader = new ContentReader(ctx, ctx.refs(disk.content()), access);
        if (start == 0 && length == disk.size()) {
            return reader;
        }
        return new Window(reader, start, length);
    }

    @Override
    public String toString() {
        return partition == 0 ? "disk.img" : "part" + partition + ".img";
    }

    /** A partition's bytes: reads shifted by its start and cut at its end. */
    private static final class Window implements OpenFile {
        private final OpenFile disk;
        private final long start;
        private final long length;

        Window(OpenFile disk, long start, long length) {
            this.disk = disk;
            this.start = start;
            this.length = length;
        }

        @Override
        public int read(long offset, int count, ReadSink sink) throws IOException {
            if (offset >= length || count <= 0) {
                return 0;
            }
            int n = (int) Math.min(count, length - offset);
            return disk.read(start + offset, n, sink);
        }

        @Override
        public void close() {
            disk.close();
        }
    }
}
