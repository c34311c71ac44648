package dev.strata.fuse;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open files of a mount, by the handle number FUSE passes back on every read, so a read never
 * resolves its path again; each with the node it opens, whose attributes fstat shows even once its
 * name is gone. Thread-safe.
 */
final class HandleTable {
    private record Open(ViewNode node, OpenFile file) {
    }

    private final ConcurrentHashMap<Long, Open> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long add(ViewNode node, OpenFile file) {
        long fh = next.getAndIncrement();
        open.put(fh, new Open(node, file));
        return fh;
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
            o.file().close();
        }
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        open.keySet().forEach(this::release);
    }
}
