package dev.strata.fuse;

import dev.strata.core.view.OpenFile;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open files of a mount, by the handle number FUSE passes back on every read, so a read never
 * resolves its path again. Thread-safe.
 */
final class HandleTable {
    private final ConcurrentHashMap<Long, OpenFile> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long add(OpenFile file) {
        long fh = next.getAndIncrement();
        open.put(fh, file);
        return fh;
    }

    OpenFile get(long fh) throws ClosedChannelException {
        OpenFile f = open.get(fh);
        if (f == null) {
            throw new ClosedChannelException();
        }
        return f;
    }

    /** Forgets and closes a handle; unknown handles are ignored. */
    void release(long fh) {
        OpenFile f = open.remove(fh);
        if (f != null) {
            f.close();
        }
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        open.keySet().forEach(this::release);
    }
}
