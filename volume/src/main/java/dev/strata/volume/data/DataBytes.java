package dev.strata.volume.data;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many bytes of a sealed content are data rather than holes — what a file's blocks count, so that
 * a sparse file does not look fully allocated. Contents held in content lists are counted once and
 * remembered (a bounded cache). Thread-safe.
 */
final class DataBytes {
    private static final int CACHED = 4096;

    private final TreeStore trees;
    private final Map<FileContent, Long> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileContent, Long> eldest) {
            return size() > CACHED;
        }
    };

    DataBytes(TreeStore trees) {
        this.trees = trees;
    }

    long of(FileContent content) throws IOException {
        if (content instanceof FileContent.Inline inline) {
            return below(inline.refs(), Long.MAX_VALUE);
        }
        synchronized (cache) {
            Long known = cache.get(content);
            if (known != null) {
                return known;
            }
        }
        long n = below(trees.refs(content), Long.MAX_VALUE);
        synchronized (cache) {
            cache.put(content, n);
        }
        return n;
    }

    /** The data bytes of {@code refs} below offset {@code limit}. */
    static long below(List<ChunkRef> refs, long limit) {
        long n = 0;
        long at = 0;
        for (ChunkRef r : refs) {
            if (at >= limit) {
                break;
            }
            if (!r.isHole()) {
                n += Math.min(r.length(), limit - at);
            }
            at += r.length();
        }
        return n;
    }
}
