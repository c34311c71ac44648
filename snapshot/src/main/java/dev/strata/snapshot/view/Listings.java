package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.view.DirEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listings of saved folders, each made once and kept while it is among the recently listed, bounded
 * by the number of names held (a wide folder counts as many). The kernel keeps no folder contents
 * for a libfuse 2 mount, so every `ls`, `find` or `tar` lists again; a kept listing answers without
 * decoding names or hashing inode numbers. Two threads listing the same folder at once may both
 * make it. Thread-safe.
 */
final class Listings {
    /** Makes a listing. */
    @FunctionalInterface
    interface Maker {
        List<DirEntry> make() throws IOException;
    }

    private record Key(ByteBuffer snapshot, ChunkId tree) {
    }

    private final int maxEntries;
    /** Guarded by itself, as is {@link #entries}. */
    private final Map<Key, List<DirEntry>> kept = new LinkedHashMap<>(256, 0.75f, true);
    private long entries;

    Listings(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    List<DirEntry> get(byte[] snapshot, ChunkId tree, Maker make) throws IOException {
        Key key = new Key(ByteBuffer.wrap(snapshot), tree);
        synchronized (kept) {
            List<DirEntry> hit = kept.get(key);
            if (hit != null) {
                return hit;
            }
        }
        List<DirEntry> made = List.copyOf(make.make());
        if (made.size() > maxEntries) {
            return made; // wider than the whole budget: not kept
        }
        synchronized (kept) {
            List<DirEntry> old = kept.put(key, made);
            entries += made.size() - (old == null ? 0 : old.size());
            Iterator<List<DirEntry>> eldest = kept.values().iterator();
            while (entries > maxEntries) {
                entries -= eldest.next().size();
                eldest.remove();
            }
        }
        return made;
    }

    /** How many names are kept now. */
    long entries() {
        synchronized (kept) {
            return entries;
        }
    }
}
