package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;

/**
 * Marks every chunk that a run of snapshot walks reaches, for prune and check alike: trees and content
 * lists are walked once each (their ids in a run table of LMDB, few), and every id met — trees, lists
 * and data chunks at each reference, repeats and all — goes to a {@link ChunkIdSorter} in a run folder
 * of the cache, which drops the repeats. Memory stays bounded and the disk traffic sequential and
 * linear in the references, where a table of marked data chunks writes about a page per chunk
 * (docs/format.md §7.1). Confined to one thread.
 */
public final class ReachableChunks implements AutoCloseable {
    private final LmdbTable visitedTrees;
    private final ChunkIdSorter sorter;
    private final ReferenceWalker walker;
    private boolean closed;

    /** {@code purpose} names the run table and folder (check, prune). */
    public ReachableChunks(LmdbEnvironment lmdb, TreeStore trees, String purpose) throws IOException {
        this.visitedTrees = lmdb.openRunTable(purpose);
        try {
            this.sorter = new ChunkIdSorter(lmdb.openRunFolder(purpose));
        } catch (IOException | RuntimeException e) {
            visitedTrees.drop();
            throw e;
        }
        this.walker = ReferenceWalker.dataAtEveryReference(trees, visitedTrees);
    }

    /**
     * Walks one snapshot's tree. The visitor hears of each tree and content list once in the whole run
     * and of a data chunk at every reference from a tree or list walked; every id it hears of is marked.
     */
    public void walk(ChunkId root, String label, ReferenceWalker.Visitor visitor) throws IOException {
        walker.walk(root, label, new ReferenceWalker.Visitor() {
            @Override
            public void chunk(ChunkId id, boolean tree, String path) throws IOException {
                sorter.add(id);
                visitor.chunk(id, tree, path);
            }

            @Override
            public void unreadable(ChunkId id, String path, IOException e) throws IOException {
                visitor.unreadable(id, path, e);
            }
        });
    }

    /** Every id marked, sorted and without repeats; the caller closes it, which deletes its runs. */
    public SortedChunkIds finish() throws IOException {
        return sorter.finish();
    }

    /** Drops the table of walked trees and the runs not handed on by {@link #finish()}. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sorter.close();
        } finally {
            visitedTrees.drop();
        }
    }
}
