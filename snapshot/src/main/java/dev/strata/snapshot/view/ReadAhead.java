package dev.strata.snapshot.view;

import dev.strata.core.store.ChunkRef;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunks of one {@link ContentReader.Access#STREAMED} reader: the next {@code depth}, decoded ahead
 * on the view's prefetch threads for this reader alone, and the {@code recent} it loaded last (small
 * files next to each other in an image share a chunk). A reader so holds at most
 * {@code depth + recent} chunks, and none of them goes into the store's chunk cache. Thread-safe.
 */
final class ReadAhead {
    private final ViewContext ctx;
    private final List<ChunkRef> refs;
    private final int depth;
    private final ConcurrentHashMap<Integer, CompletableFuture<byte[]>> ahead = new ConcurrentHashMap<>();
    private final Map<Integer, byte[]> loaded;

    ReadAhead(ViewContext ctx, List<ChunkRef> refs, int depth, int recent) {
        this.ctx = ctx;
        this.refs = refs;
        this.depth = depth;
        this.loaded = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > recent;
            }
        };
    }

    /** Chunk {@code i}'s bytes (never a hole), and the next ones set decoding. */
    byte[] load(int i) throws IOException {
        byte[] data;
        synchronized (loaded) {
            data = loaded.get(i);
        }
        if (data != null) {
            return data;
        }
        CompletableFuture<byte[]> f = ahead.remove(i);
        data = f == null ? null : decoded(f);
        if (data == null) {
            // Not decoded yet: its task is queued, was dropped by a full queue, failed, or is decoding it now,
            // in which case the store hands this read the same decode. A failure is met and reported here.
            if (f != null) {
                f.cancel(false);
            }
            data = ctx.chunks.getUncached(refs.get(i).id());
        }
        synchronized (loaded) {
            loaded.put(i, data);
        }
        int end = i;
        for (int fetched = 0; end + 1 < refs.size() && fetched < depth; ) {
            end++;
            if (!refs.get(end).isHole()) {
                fetched++;
            }
        }
        int last = end;
        // Chunks outside the window are behind the reader, or ahead of where it was before a jump.
        ahead.entrySet().removeIf(e -> {
            boolean outside = e.getKey() <= i || e.getKey() > last;
            if (outside) {
                e.getValue().cancel(false);
            }
            return outside;
        });
        for (int k = i + 1; k <= last; k++) {
            ChunkRef ref = refs.get(k);
            if (!ref.isHole() && !holds(k)) {
                CompletableFuture<byte[]> next = new CompletableFuture<>();
                if (ahead.putIfAbsent(k, next) == null) {
                    ctx.decodeAhead(ref.id(), next);
                }
            }
        }
        return data;
    }

    private boolean holds(int k) {
        synchronized (loaded) {
            return loaded.containsKey(k);
        }
    }

    /** Drops every chunk held; a later load starts again. */
    void clear() {
        ahead.values().forEach(f -> f.cancel(false));
        ahead.clear();
        synchronized (loaded) {
            loaded.clear();
        }
    }

    private static byte[] decoded(CompletableFuture<byte[]> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.getNow(null) : null;
    }
}
