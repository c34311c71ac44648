package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.store.ChunkRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Visits every chunk that snapshots refer to (trees, content lists, file data), each tree once
 * however many snapshots share it. The set of visited ids lives in an LMDB table, not on the heap,
 * so memory stays bounded for any repository size. The table holds every visited id, so each data
 * chunk is reported once too; or, made by {@link #dataAtEveryReference}, only the trees and content
 * lists, and a data chunk is reported at each reference from a tree or list walked: a caller that
 * collects ids in a {@link ChunkIdSorter} drops repeats there, and the table's writes, about a page
 * per new id, stay with the few trees instead of the many data chunks. Confined to one thread.
 */
public final class ReferenceWalker {
    /** What the walker reports. */
    public interface Visitor {
        /** A chunk referenced at {@code path}; {@code tree} is true for trees and content lists. */
        void chunk(ChunkId id, boolean tree, String path) throws IOException;

        /** A tree or content list that could not be read; its subtree is skipped. */
        void unreadable(ChunkId id, String path, IOException e) throws IOException;
    }

    private static final int BATCH = 4096;

    private final TreeStore trees;
    private final LmdbTable visited;
    private final java.util.Set<ChunkId> batch = new java.util.HashSet<>();

    private final boolean dataOnce;

    /** {@code visited} is cleared first; afterwards it holds every referenced chunk id. */
    public ReferenceWalker(TreeStore trees, LmdbTable visited) {
        this(trees, visited, true);
    }

    private ReferenceWalker(TreeStore trees, LmdbTable visited, boolean dataOnce) {
        this.trees = trees;
        this.visited = visited;
        this.dataOnce = dataOnce;
        visited.clear();
    }

    /**
     * A walker that keeps only trees and content lists in {@code visitedTrees} (cleared first) and
     * reports a data chunk at every reference from a tree or list it walks, repeats included.
     */
    public static ReferenceWalker dataAtEveryReference(TreeStore trees, LmdbTable visitedTrees) {
        return new ReferenceWalker(trees, visitedTrees, false);
    }

    /** Visits everything reachable from a snapshot's root tree. */
    public void walk(ChunkId root, String snapshotLabel, Visitor visitor) throws IOException {
        tree(root, snapshotLabel + ":/", visitor);
        flush();
    }

    private void tree(ChunkId id, String path, Visitor v) throws IOException {
        if (!mark(id)) {
            return;
        }
        v.chunk(id, true, path);
        Tree t;
        try {
            t = trees.read(id);
        } catch (IOException e) {
            v.unreadable(id, path, e);
            return;
        }
        for (Node n : t.nodes()) {
            String p = path.endsWith("/") ? path + n.name() : path + "/" + n.name();
            if (n.isDirectory()) {
                tree(n.subtree(), p, v);
            } else if (n.isFile()) {
                content(n.content(), p, v);
            }
        }
    }

    private void content(FileContent c, String path, Visitor v) throws IOException {
        if (c instanceof FileContent.Inline) {
            refs(((FileContent.Inline) c).refs(), path, v);
            return;
        }
        for (ContentBlock b : ((FileContent.Indirect) c).blocks()) {
            if (!mark(b.list())) {
                continue;
            }
            v.chunk(b.list(), true, path);
            try {
                refs(trees.contentList(b), path, v);
            } catch (IOException e) {
                v.unreadable(b.list(), path, e);
            }
        }
    }

    private void refs(List<ChunkRef> refs, String path, Visitor v) throws IOException {
        for (ChunkRef r : refs) {
            if (!r.isHole() && (!dataOnce || mark(r.id()))) {
                v.chunk(r.id(), false, path);
            }
        }
    }

    /** Marks an id; false when it was marked before (in this walk or an earlier batch). */
    private boolean mark(ChunkId id) {
        if (batch.contains(id) || visited.contains(id.bytes())) {
            return false;
        }
        batch.add(id);
        if (batch.size() >= BATCH) {
            flush();
        }
        return true;
    }

    private void flush() {
        List<byte[]> keys = new ArrayList<>(batch.size());
        batch.forEach(id -> keys.add(id.bytes()));
        visited.addKeys(keys);
        batch.clear();
    }

    /** Whether an id was reached by the walks so far (for a data chunk: only if each is reported once). */
    public boolean reached(ChunkId id) {
        flush();
        return visited.contains(id.bytes());
    }
}
