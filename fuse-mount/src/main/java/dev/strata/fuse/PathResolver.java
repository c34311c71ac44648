package dev.strata.fuse;

import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves FUSE's paths to view nodes from the root, remembering recent ones (a bounded cache) so
 * that the getattr, open and readdir of one file walk the tree once. Thread-safe.
 */
final class PathResolver {
    private static final int CACHED = 65_536;

    private final ViewNode root;
    private final Map<String, ViewNode> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ViewNode> eldest) {
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
            ViewNode hit = cache.get(path);
            if (hit != null) {
                return hit;
            }
        }
        int slash = path.lastIndexOf('/');
        ViewNode parent = resolve(slash <= 0 ? "/" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        ViewNode node = parent.child(name).orElseThrow(() -> new NoSuchFileException(path));
        synchronized (cache) {
            cache.put(path, node);
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
