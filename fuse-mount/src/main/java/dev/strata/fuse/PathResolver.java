package dev.strata.fuse;

import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves FUSE's paths to view nodes from the root, remembering recent ones (a bounded cache) so
 * that the getattr, open and readdir of one file walk the tree once. Immutable nodes are kept until
 * evicted; others (folders listing snapshots, {@code latest}) only for a moment, so that a new
 * snapshot shows up. Thread-safe.
 */
final class PathResolver {
    private static final int CACHED = 65_536;
    private static final long MUTABLE_NANOS = 1_000_000_000L;

    private record Cached(ViewNode node, long expires) {
    }

    private final ViewNode root;
    private final Map<String, Cached> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED;
        }
    };

    PathResolver(ViewNode root) {
        this.root = root;
    }

    ViewNode resolve(String path) throws IOException {
        if (path.equals("/") || path.isEmpty()) {
            return root;
        }
        synchronized (cache) {
            Cached hit = cache.get(path);
            if (hit != null && hit.expires() - System.nanoTime() > 0) {
                return hit.node();
            }
        }
        int slash = path.lastIndexOf('/');
        ViewNode parent = resolve(slash <= 0 ? "/" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        ViewNode node = parent.child(name).orElseThrow(() -> new NoSuchFileException(path));
        synchronized (cache) {
            long expires = node.immutable() ? Long.MAX_VALUE / 2 + System.nanoTime() : System.nanoTime() + MUTABLE_NANOS;
            cache.put(path, new Cached(node, expires));
        }
        return node;
    }

    /** Forgets {@code path} and everything below it (after a change in a writable view). */
    void forget(String path) {
        synchronized (cache) {
            cache.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
        }
    }
}
