package dev.strata.fuse;

import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves FUSE's paths to view nodes from the root, remembering recent ones (a bounded cache) so
 * that the getattr, open and readdir of one file walk the tree once. Immutable nodes are kept until
 * evicted; others (folders listing snapshots, {@code latest}) only for a moment, so that a new
 * snapshot shows up. Thread-safe.
 */
final class PathResolver {
    private static final int CACHED = 65_536;
    private static final long MUTABLE_NANOS = 1_000_000_000L;

    private record Cached(ViewNode node, long expires, long generation) {
    }

    /** Moves on when a folder is moved or removed: cached paths of writable views may then be wrong. */
    private long generation;

    private final ViewNode root;
    private final Map<String, Cached> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * Files libfuse hid under a {@code .fuse_hidden…} name when they were unlinked or renamed over while
     * open: the view has no such name, but libfuse reaches the file by it until its last close.
     */
    private final Map<String, ViewNode> hidden = new ConcurrentHashMap<>();

    PathResolver(ViewNode root) {
        this.root = root;
    }

    /** Lets {@code path} (a name libfuse gave a removed open file) reach {@code node}. */
    void hide(String path, ViewNode node) {
        hidden.put(path, node);
    }

    /** Forgets a hidden name; false if {@code path} is not one. */
    boolean unhide(String path) {
        return hidden.remove(path) != null;
    }

    ViewNode resolve(String path) throws IOException {
        if (path == null) {
            // libfuse's null path: the entry was removed while open (readdir, fsyncdir of a removed folder).
            throw new NoSuchFileException("(removed)");
        }
        if (path.equals("/") || path.isEmpty()) {
            return root;
        }
        ViewNode removedButOpen = hidden.get(path);
        if (removedButOpen != null) {
            return removedButOpen;
        }
        synchronized (cache) {
            Cached hit = cache.get(path);
            if (hit != null && hit.expires() - System.nanoTime() > 0
                    && (hit.generation() == generation || hit.node().immutable())) {
                return hit.node();
            }
        }
        int slash = path.lastIndexOf('/');
        ViewNode parent = resolve(slash <= 0 ? "/" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        ViewNode node = parent.child(name).orElseThrow(() -> new MissingName(path));
        synchronized (cache) {
            long expires = node.immutable() ? Long.MAX_VALUE / 2 + System.nanoTime() : System.nanoTime() + MUTABLE_NANOS;
            cache.put(path, new Cached(node, expires, generation));
        }
        return node;
    }

    /**
     * A name that is not there: an everyday answer, not a fault (the kernel looks up every name a
     * program creates, first), so it costs no stack trace.
     */
    static final class MissingName extends NoSuchFileException {
        MissingName(String path) {
            super(path);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Forgets {@code path} (a name created or removed in a writable view). */
    void forget(String path) {
        synchronized (cache) {
            cache.remove(path);
        }
    }

    /**
     * Forgets {@code path} and everything below it (a folder moved or removed). Rather than search the
     * cache, every cached path of a writable view is dropped at once; immutable views' paths stay.
     */
    void forgetBelow(String path) {
        synchronized (cache) {
            cache.remove(path);
            generation++;
        }
    }
}
