package dev.strata.snapshot.archive;

import dev.strata.core.id.ChunkId;
import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a folder or a file of a snapshot as an archive: a walk of the tree, depth first, one
 * folder's listing and a few chunks held at a time, so memory does not grow with the size of what is
 * dumped (only with the hard-linked files seen, by one path each). The second name of a hard-linked
 * file is a link where the format has links. What the format cannot hold is left out and listed as a
 * warning. Confined to one thread (it starts its own chunk loaders).
 */
public final class SnapshotDump implements AutoCloseable {
    private final TreeStore trees;
    private final ExecutorService loaders;
    private final ChunkStream chunks;

    public SnapshotDump(TreeStore trees) {
        this.trees = trees;
        AtomicInteger n = new AtomicInteger();
        this.loaders = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "strata-dump-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.chunks = new ChunkStream(trees.chunks(), loaders);
    }

    /**
     * Dumps the folder {@code tree}: its entries at the archive's top level, preceded by a "./"
     * entry with the folder's own metadata when {@code self} is given (tar only: zip has no such
     * entry). {@code out} is closed at the end.
     */
    public DumpResult folder(ChunkId tree, Node self, ArchiveFormat format, OutputStream out) throws IOException {
        Walk walk = new Walk(sink(format, out));
        try (ArchiveSink sink = walk.sink) {
            if (self != null && format != ArchiveFormat.ZIP) {
                walk.entries++;
                sink.directory("./", self);
            }
            walk.folder(tree, "");
        }
        return walk.result();
    }

    /** Dumps one entry (a file, a symlink, a folder with what it holds) under its own name. */
    public DumpResult entry(Node node, ArchiveFormat format, OutputStream out) throws IOException {
        Walk walk = new Walk(sink(format, out));
        try (ArchiveSink sink = walk.sink) {
            walk.node(node, "");
        }
        return walk.result();
    }

    private static ArchiveSink sink(ArchiveFormat format, OutputStream out) throws IOException {
        return switch (format) {
            case TAR -> new TarSink(out);
            case TAR_ZST -> new TarSink(new ZstdCompressorOutputStream(out));
            case ZIP -> new ZipSink(out);
        };
    }

    /** One dump's state. */
    private final class Walk {
        final ArchiveSink sink;
        final Map<String, String> firstNames = new HashMap<>();
        final LeftOut warnings = new LeftOut();
        long entries;
        long bytes;

        Walk(ArchiveSink sink) {
            this.sink = sink;
        }

        void folder(ChunkId tree, String dir) throws IOException {
            for (Node n : trees.read(tree).nodes()) {
                node(n, dir);
            }
        }

        void node(Node n, String dir) throws IOException {
            String path = dir + n.name();
            if (NameBytes.hasEscapes(path)) {
                // The archive's names are UTF-8; a name that is not would come out as another name.
                warnings.add(Printable.of(path) + ": left out, its name is not UTF-8");
                return;
            }
            switch (n.type()) {
                case DIRECTORY -> {
                    entries++;
                    sink.directory(path + "/", n);
                    folder(n.subtree(), path + "/");
                }
                case FILE -> file(path, n);
                case SYMLINK -> {
                    String target = NameBytes.decode(n.linkTarget());
                    if (NameBytes.hasEscapes(target)) {
                        warnings.add(Printable.of(path) + ": left out, its symlink target is not UTF-8");
                        return;
                    }
                    entries++;
                    sink.symlink(path, n, target);
                }
                default -> {
                    if (sink.special(path, n)) {
                        entries++;
                    } else {
                        warnings.add(Printable.of(path) + ": left out, the archive format cannot hold a "
                                + n.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                    }
                }
            }
        }

        private void file(String path, Node n) throws IOException {
            entries++;
            String key = n.links() > 1 ? n.device() + ":" + n.inode() : null;
            if (key != null) {
                String first = firstNames.putIfAbsent(key, path);
                if (first != null && sink.hardLink(path, n, first)) {
                    return;
                }
            }
            sink.file(path, n, dataRegions(n.content()), (out, dataOnly) -> content(n.content(), out, dataOnly));
        }

        /** A large file's content lists are read one at a time, so its references are never all in memory. */
        private void content(FileContent content, OutputStream out, boolean dataOnly) throws IOException {
            if (content instanceof FileContent.Inline inline) {
                bytes += chunks.write(inline.refs(), out, dataOnly);
                return;
            }
            for (ContentBlock b : ((FileContent.Indirect) content).blocks()) {
                bytes += chunks.write(trees.contentList(b), out, dataOnly);
            }
        }

        /** Where a file with holes holds data (adjacent chunks joined), or null for a file without holes. */
        private List<ArchiveSink.Region> dataRegions(FileContent content) throws IOException {
            List<ArchiveSink.Region> regions = new ArrayList<>();
            boolean holes = false;
            long offset = 0;
            long start = -1;
            List<List<ChunkRef>> parts = new ArrayList<>();
            if (content instanceof FileContent.Inline inline) {
                parts.add(inline.refs());
            }
            List<ContentBlock> blocks = content instanceof FileContent.Indirect indirect ? indirect.blocks() : List.of();
            for (int i = 0; i < Math.max(parts.size(), blocks.size()); i++) {
                List<ChunkRef> refs = parts.isEmpty() ? trees.contentList(blocks.get(i)) : parts.get(i);
                for (ChunkRef r : refs) {
                    if (r.isHole()) {
                        holes = true;
                        if (start >= 0) {
                            regions.add(new ArchiveSink.Region(start, offset - start));
                            start = -1;
                        }
                    } else if (start < 0) {
                        start = offset;
                    }
                    offset += r.length();
                }
            }
            if (start >= 0) {
                regions.add(new ArchiveSink.Region(start, offset - start));
            }
            return holes ? regions : null;
        }

        DumpResult result() {
            return new DumpResult(entries, bytes, warnings.count(), warnings.listed());
        }
    }

    @Override
    public void close() {
        loaders.shutdownNow();
    }
}
