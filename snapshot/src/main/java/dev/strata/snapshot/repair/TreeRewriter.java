package dev.strata.snapshot.repair;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a tree without what the repository has lost, bottom up: a file keeps the chunks that are
 * still stored (lost ones are dropped, as restic does, or become zeros of the same length for disk
 * images, whose offsets must not move), a folder whose tree cannot be read becomes an empty folder,
 * and a tree nothing changed in keeps its id. Each tree is rewritten once however many snapshots
 * share it. Confined to one thread.
 */
final class TreeRewriter {
    /** Where rewritten trees and content lists go: stored, or (a dry run) only hashed. */
    interface Output {
        ChunkId write(Tree tree) throws IOException;

        FileContent content(List<ChunkRef> refs) throws IOException;
    }

    /** What was done at one path, relative to the tree rewritten ("" for the tree itself). */
    record Change(String path, String what) {
    }

    /** A tree's new id (its old one when nothing changed) and what changed beneath it. */
    record Rewritten(ChunkId id, List<Change> changes) {
    }

    private final TreeStore trees;
    private final LmdbIndex index;
    private final Output out;
    private final boolean zeroFill;
    private final Map<ChunkId, Rewritten> memo = new HashMap<>();
    private ChunkId emptyTree;

    TreeRewriter(TreeStore trees, LmdbIndex index, Output out, boolean zeroFill) {
        this.trees = trees;
        this.index = index;
        this.out = out;
        this.zeroFill = zeroFill;
    }

    /** The tree rewritten; null when the tree itself cannot be read. */
    Rewritten tree(ChunkId id) throws IOException {
        Rewritten done = memo.get(id);
        if (done != null || memo.containsKey(id)) {
            return done;
        }
        Tree tree;
        try {
            tree = trees.read(id);
        } catch (IOException unreadable) {
            memo.put(id, null);
            return null;
        }
        List<Node> nodes = new ArrayList<>(tree.nodes().size());
        List<Change> changes = new ArrayList<>();
        for (Node n : tree.nodes()) {
            nodes.add(node(n, changes));
        }
        Rewritten r = new Rewritten(changes.isEmpty() ? id : out.write(new Tree(nodes)), List.copyOf(changes));
        memo.put(id, r);
        return r;
    }

    private Node node(Node n, List<Change> changes) throws IOException {
        if (n.isDirectory()) {
            Rewritten sub = tree(n.subtree());
            if (sub == null) {
                changes.add(new Change(n.name(), "folder contents unreadable; saved as an empty folder"));
                return n.withSubtree(emptyTree());
            }
            for (Change c : sub.changes()) {
                changes.add(new Change(c.path().isEmpty() ? n.name() : n.name() + "/" + c.path(), c.what()));
            }
            return sub.id().equals(n.subtree()) ? n : n.withSubtree(sub.id());
        }
        if (!n.isFile()) {
            return n;
        }
        Kept kept = keep(n.content());
        if (kept.lostChunks == 0) {
            return n;
        }
        FileContent content = out.content(ChunkRef.mergeHoles(kept.refs));
        String lost = kept.lostChunks + " chunk(s) lost (" + kept.lostBytes + " of " + n.size() + " bytes)";
        String what = zeroFill ? lost + "; they read as zeros now"
                : content.size() == 0 ? lost + "; nothing is left, kept as an empty file"
                : lost + "; kept with the rest (" + content.size() + " bytes)";
        changes.add(new Change(n.name(), what));
        return n.withContent(content, n.flags());
    }

    /** The references of a content that are still stored, and what was lost. */
    private static final class Kept {
        final List<ChunkRef> refs = new ArrayList<>();
        long lostChunks;
        long lostBytes;
    }

    private Kept keep(FileContent content) {
        Kept k = new Kept();
        if (content instanceof FileContent.Inline inline) {
            keep(inline.refs(), k);
            return k;
        }
        for (ContentBlock b : ((FileContent.Indirect) content).blocks()) {
            List<ChunkRef> refs = null;
            if (index.contains(b.list())) {
                try {
                    refs = trees.contentList(b);
                } catch (IOException unreadable) {
                    // the whole list is lost
                }
            }
            if (refs == null) {
                k.lostChunks += b.references();
                k.lostBytes += b.bytes();
                if (zeroFill) {
                    k.refs.add(ChunkRef.hole(b.bytes()));
                }
                continue;
            }
            keep(refs, k);
        }
        return k;
    }

    private void keep(List<ChunkRef> refs, Kept k) {
        for (ChunkRef r : refs) {
            if (r.isHole() || index.contains(r.id())) {
                k.refs.add(r);
            } else {
                k.lostChunks++;
                k.lostBytes += r.length();
                if (zeroFill) {
                    k.refs.add(ChunkRef.hole(r.length()));
                }
            }
        }
    }

    private ChunkId emptyTree() throws IOException {
        if (emptyTree == null) {
            emptyTree = out.write(Tree.EMPTY);
        }
        return emptyTree;
    }
}
