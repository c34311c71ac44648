package dev.strata.snapshot.backup;

import dev.strata.core.posix.Extent;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.backup.filter.IoReasons;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves the content of one regular file: skips it when the parent snapshot's node shows it
 * unchanged, reads only its data regions when it is sparse, stores small files as one chunk on the
 * calling thread and large ones through the store's parallel pipeline, and re-reads once (then
 * flags) a file that changed while it was read. Thread-safe.
 */
final class FileArchiver {
    /** How many times a file that keeps changing is read before it is saved as is and flagged. */
    private static final int ATTEMPTS = 2;

    private final SourceFs fs;
    private final ChunkStore store;
    private final TreeStore trees;
    private final BackupCounters counters;
    private final int smallFileLimit;

    FileArchiver(SourceFs fs, TreeStore trees, BackupCounters counters) {
        this.fs = fs;
        this.store = trees.chunks();
        this.trees = trees;
        this.counters = counters;
        this.smallFileLimit = store.chunker().params().minSize();
    }

    /** The saved content and the metadata it belongs to. */
    record Saved(FileStatus status, FileContent content, int flags) {
    }

    /** Whether the parent snapshot's node describes this very file, unchanged. */
    static boolean unchanged(Node parent, FileStatus st) {
        return parent != null && parent.isFile()
                && parent.size() == st.size()
                && parent.inode() == st.inode()
                && parent.mode() == st.permissions()
                && parent.mtime().seconds() == st.mtime().seconds() && parent.mtime().nanos() == st.mtime().nanos()
                && parent.ctime().seconds() == st.ctime().seconds() && parent.ctime().nanos() == st.ctime().nanos();
    }

    /**
     * Whether every chunk a parent's content names is still in the store, undamaged: a chunk the index
     * has lost (found damaged, or its pack gone) must be read from the source again, or the new
     * snapshot would be as damaged as its parent.
     */
    boolean stillStored(FileContent content) {
        try {
            if (content instanceof FileContent.Indirect indirect) {
                for (ContentBlock b : indirect.blocks()) {
                    if (!store.contains(b.list())) {
                        return false;
                    }
                }
            }
            for (ChunkRef r : trees.refs(content)) {
                if (!r.isHole() && !store.contains(r.id())) {
                    return false;
                }
            }
            return true;
        } catch (IOException unreadableList) {
            return false;
        }
    }

    Saved save(Path path, FileStatus status) throws IOException {
        FileStatus st = status;
        for (int attempt = 1; ; attempt++) {
            FileContent content = read(path, st);
            FileStatus after = fs.lstat(path);
            if (sameVersion(st, after) && content.size() == st.size()) {
                return new Saved(st, content, 0);
            }
            if (attempt >= ATTEMPTS) {
                counters.changedWhileRead.incrementAndGet();
                // The node must describe what was stored: its size is the content's size.
                return new Saved(after, content, Node.FLAG_CHANGED_WHILE_READ);
            }
            st = after;
        }
    }

    private static boolean sameVersion(FileStatus a, FileStatus b) {
        return a.size() == b.size() && a.mtime().equals(b.mtime()) && a.ctime().equals(b.ctime()) && a.inode() == b.inode();
    }

    private FileContent read(Path path, FileStatus st) throws IOException {
        counters.filesOpened.incrementAndGet();
        try (FileChannel ch = openForReading(path)) {
            if (st.size() == 0) {
                return FileContent.EMPTY;
            }
            if (st.size() < smallFileLimit) {
                return readSmall(ch, path, st.size());
            }
            // Progress counts bytes as they are read, not only when a (large) file is finished.
            java.util.concurrent.atomic.AtomicLong thisFile = new java.util.concurrent.atomic.AtomicLong();
            java.util.function.LongConsumer onRead = n -> {
                counters.bytesRead.addAndGet(n);
                counters.bytesInProgress.addAndGet(n);
                thisFile.addAndGet(n);
            };
            try {
                return readLarge(ch, path, st, onRead);
            } finally {
                counters.bytesInProgress.addAndGet(-thisFile.get());
            }
        }
    }

    /** A file at or above the small-file limit, streamed through the chunker; holes stay holes. */
    private FileContent readLarge(FileChannel ch, Path path, FileStatus st, java.util.function.LongConsumer onRead)
            throws IOException {
        List<ChunkRef> refs = new ArrayList<>();
        if (isSparse(st)) {
            long pos = 0;
            for (Extent e : dataExtents(path)) {
                if (e.offset() > pos) {
                    refs.add(ChunkRef.hole(e.offset() - pos));
                }
                refs.addAll(store.putStream(new RegionChannel(ch, PathBytes.printable(path), e.offset(), e.length(), onRead),
                        e.length(), n -> { }));
                pos = e.end();
            }
            long end = Math.max(pos, ch.size());
            if (end > pos) {
                refs.add(ChunkRef.hole(end - pos));
            }
        } else {
            refs.addAll(store.putStream(new RegionChannel(ch, PathBytes.printable(path), 0, Long.MAX_VALUE, onRead),
                    st.size(), n -> { }));
        }
        return trees.storeContent(ChunkRef.mergeHoles(refs));
    }

    private FileChannel openForReading(Path path) throws IOException {
        try {
            return fs.open(path);
        } catch (IOException e) {
            throw new SourceReadException("cannot open, not saved: " + IoReasons.of(e), e);
        }
    }

    private List<Extent> dataExtents(Path path) throws IOException {
        try {
            return fs.dataExtents(path);
        } catch (IOException e) {
            throw new SourceReadException("cannot find its holes, not saved: " + IoReasons.of(e), e);
        }
    }

    private FileContent readSmall(FileChannel ch, Path path, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, buf.position());
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new SourceReadException("cannot read, not saved: " + IoReasons.of(e), e);
        }
        counters.bytesRead.addAndGet(buf.position());
        if (buf.position() == 0) {
            return FileContent.EMPTY;
        }
        byte[] data = buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
        return new FileContent.Inline(List.of(store.putDataChunk(data)));
    }

    /** A file whose allocated blocks cover less than its size has holes worth finding. */
    private static boolean isSparse(FileStatus st) {
        return st.blocks() * 512 < st.size();
    }
}
