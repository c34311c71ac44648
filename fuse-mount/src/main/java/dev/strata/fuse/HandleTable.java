package dev.strata.fuse;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open files of a mount, by the handle number FUSE passes back on every read, so a read never
 * resolves its path again; each with the node it opens, whose attributes fstat shows even once its
 * name is gone; and which files are open for writing, by which names ({@link #writtenOnlyThrough}).
 * Thread-safe.
 */
final class HandleTable {
    /** An open file; {@code path} and {@code inode} only for handles open for writing, else null and 0. */
    private record Open(ViewNode node, OpenFile file, String path, long inode) {
    }

    private final ConcurrentHashMap<Long, Open> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final OpenWriters writers = new OpenWriters();

    /** A handle open for reading only. */
    long add(ViewNode node, OpenFile file) {
        long fh = next.getAndIncrement();
        open.put(fh, new Open(node, file, null, 0));
        return fh;
    }

    /** A handle open for writing file {@code inode}, opened by {@code path}. */
    long addWritable(ViewNode node, OpenFile file, String path, long inode) {
        long fh = next.getAndIncrement();
        writers.opened(inode, path);
        open.put(fh, new Open(node, file, path, inode));
        return fh;
    }

    /** Whether file {@code inode} is open for writing, by {@code path} only. */
    boolean writtenOnlyThrough(String path, long inode) {
        return writers.onlyThrough(inode, path);
    }

    /** Whether any file is open for writing. */
    boolean anyWritten() {
        return writers.any();
    }

    OpenFile get(long fh) throws ClosedChannelException {
        return entry(fh).file();
    }

    /** The node handle {@code fh} opened. */
    ViewNode node(long fh) throws ClosedChannelException {
        return entry(fh).node();
    }

    private Open entry(long fh) throws ClosedChannelException {
        Open o = open.get(fh);
        if (o == null) {
            throw new ClosedChannelException();
        }
        return o;
    }

    /** Forgets and closes a handle; unknown handles are ignored. */
    void release(long fh) {
        Open o = open.remove(fh);
        if (o != null) {
            try {
                o.file().close();
            } finally {
                if (o.path() != null) {
                    writers.closed(o.inode(), o.path());
                }
            }
        }
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        open.keySet().forEach(this::release);
    }
}
