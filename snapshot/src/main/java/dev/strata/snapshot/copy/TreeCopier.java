package dev.strata.snapshot.copy;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkRuns;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a tree and everything below it from a source repository into a target, bottom up: the data
 * chunks of a folder's files go to a pool of readers while its sub-folders are copied, then the
 * folder is encoded again with the target's chunk ids and stored. A data chunk is read from the
 * source only when the target lacks it or its target id is not known yet ({@link ChunkIdMap}), and the
 * chunks a folder needs from one source pack are read a run of neighbours per request
 * ({@link ChunkRuns}); tree
 * objects and content lists are always read and encoded again (they are small, and their ids depend
 * on the ids inside them), and stored only when the target lacks them. Each tree is copied once per
 * run however many snapshots share it. Confined to one thread; the pool is its own.
 */
final class TreeCopier implements AutoCloseable {
    private final TreeStore from;
    private final TreeStore to;
    private final ChunkStore fromChunks;
    private final ChunkStore toChunks;
    private final ChunkIdMap map;
    private final ExecutorService pool;
    private final Map<ChunkId, ChunkId> copiedTrees = new HashMap<>();
    /** Pairs worked out since the last {@link #remember()}: written to the map a folder at a time. */
    private final Map<ChunkId, ChunkId> learned = new ConcurrentHashMap<>();
    private final AtomicLong chunksRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong chunksKnown = new AtomicLong();

    TreeCopier(TreeStore from, TreeStore to, ChunkIdMap map, int readers) {
        this.from = from;
        this.to = to;
        this.fromChunks = from.chunks();
        this.toChunks = to.chunks();
        this.map = map;
        this.pool = Executors.newFixedThreadPool(readers, r -> {
            Thread t = new Thread(r, "strata-copy");
            t.setDaemon(true);
            return t;
        });
    }

    /** The target's id of the source tree {@code sourceId}, once it and everything below it are in the target's store. */
    ChunkId tree(ChunkId sourceId) throws IOException {
        ChunkId done = copiedTrees.get(sourceId);
        if (done != null) {
            return done;
        }
        Tree tree = from.read(sourceId);
        Map<ChunkId, CompletableFuture<ChunkId>> data = new LinkedHashMap<>();
        Map<String, List<ChunkRef>> contents = new HashMap<>();
        List<ChunkId> toRead = new ArrayList<>();
        for (Node n : tree.nodes()) {
            if (n.isFile()) {
                List<ChunkRef> refs = from.refs(n.content());
                contents.put(n.name(), refs);
                for (ChunkRef r : refs) {
                    if (!r.isHole() && !data.containsKey(r.id())) {
                        ChunkId known = known(r.id());
                        data.put(r.id(), known != null ? CompletableFuture.completedFuture(known) : null);
                        if (known == null) {
                            toRead.add(r.id());
                        }
                    }
                }
            }
        }
        // The chunks to read, a run of neighbours in a source pack per request.
        for (ChunkRuns.Run run : ChunkRuns.plan(fromChunks, toRead)) {
            CompletableFuture<Map<ChunkId, ChunkId>> copied = CompletableFuture.supplyAsync(() -> {
                try {
                    return copy(run);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, pool);
            for (ChunkId id : run.ids()) {
                data.put(id, copied.thenApply(m -> m.get(id)));
            }
        }
        List<Node> nodes = new ArrayList<>(tree.nodes().size());
        try {
            for (Node n : tree.nodes()) {
                if (n.isDirectory()) {
                    nodes.add(n.withSubtree(tree(n.subtree())));
                } else if (n.isFile()) {
                    List<ChunkRef> refs = contents.get(n.name());
                    List<ChunkRef> mapped = new ArrayList<>(refs.size());
                    for (ChunkRef r : refs) {
                        mapped.add(r.isHole() ? r : ChunkRef.chunk(await(data.get(r.id())), r.length()));
                    }
                    FileContent content = to.storeContent(mapped);
                    nodes.add(n.withContent(content, n.flags()));
                } else {
                    nodes.add(n);
                }
            }
        } finally {
            data.values().forEach(f -> f.cancel(false));
        }
        ChunkId copied = to.write(new Tree(nodes));
        remember();
        copiedTrees.put(sourceId, copied);
        return copied;
    }

    /** The target's id of a source data chunk when it is known and the target holds it, else null. */
    private ChunkId known(ChunkId sourceId) {
        ChunkId known = map.get(sourceId);
        if (known != null && toChunks.contains(known)) {
            chunksKnown.incrementAndGet();
            return known;
        }
        return null;
    }

    /** Reads a run of data chunks from the source with one request and stores each in the target. */
    private Map<ChunkId, ChunkId> copy(ChunkRuns.Run run) throws IOException {
        Map<ChunkId, ChunkId> out = new HashMap<>();
        for (Map.Entry<ChunkId, byte[]> e : ChunkRuns.read(fromChunks, run).entrySet()) {
            byte[] plain = e.getValue();
            chunksRead.incrementAndGet();
            bytesRead.addAndGet(plain.length);
            ChunkId id = toChunks.put(plain, PackType.DATA);
            learned.put(e.getKey(), id);
            out.put(e.getKey(), id);
        }
        return out;
    }

    /** Writes the pairs worked out so far to the map (their chunks may not be durable yet: see {@link ChunkIdMap}). */
    void remember() {
        Map<ChunkId, ChunkId> batch = new HashMap<>(learned);
        map.putAll(batch);
        batch.keySet().forEach(learned::remove);
    }

    long chunksRead() {
        return chunksRead.get();
    }

    long bytesRead() {
        return bytesRead.get();
    }

    /** Data chunks not read because the target held them under an id already known. */
    long chunksKnown() {
        return chunksKnown.get();
    }

    private static ChunkId await(CompletableFuture<ChunkId> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("copy interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
