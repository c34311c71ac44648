package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.DirEntry;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every node of a mounted repository shares: the stores, the snapshot catalog, the reader of
 * the mount (who owns the virtual folders), a prefetch pool that decodes the next chunks of files
 * being read, a thread that reads folders ahead, and small caches. Thread-safe.
 */
public final class ViewContext implements AutoCloseable {
    private static final int CACHED_CONTENTS = 4096;
    /** How many listed names the folder listings kept hold together (about 150 bytes each). */
    static final int CACHED_LISTING_ENTRIES = 200_000;
    /** Sources with more snapshots than this show them in year and month folders. */
    public static final int GROUP_ABOVE = 500;
    /** How old the snapshot list may be when a folder of snapshots is read. */
    private static final long REFRESH_MILLIS = 2000;
    /** How soon a lookup of an unknown name may read the snapshot list again. */
    private static final long RECHECK_MILLIS = 250;
    /** Background walks waiting for the read-ahead thread; more are dropped (each is best effort). */
    private static final int BACKGROUND_QUEUE = 4;

    public final TreeStore trees;
    final ChunkStore chunks;
    private final SnapshotCatalog catalog;
    public final long uid;
    public final long gid;
    public final Timestamp mountTime;
    final ExecutorService prefetch;
    /**
     * One thread for long background walks, apart from {@link #prefetch}, whose threads decode file
     * contents ahead; null where the view reads nothing ahead.
     */
    private final ThreadPoolExecutor background;
    final int groupAbove;
    private final java.util.function.Consumer<String> problems;
    private final Map<FileContent, List<ChunkRef>> refs = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileContent, List<ChunkRef>> eldest) {
            return size() > CACHED_CONTENTS;
        }
    };

    private final Listings listings = new Listings(CACHED_LISTING_ENTRIES);

    public ViewContext(TreeStore trees, SnapshotCatalog catalog, long uid, long gid, Timestamp mountTime) {
        this(trees, catalog, uid, gid, mountTime, GROUP_ABOVE, p -> { });
    }

    /**
     * @param groupAbove a source with more snapshots than this shows them in year/month folders
     * @param problems   receives one line per problem met while refreshing (damaged records, I/O)
     */
    public ViewContext(TreeStore trees, SnapshotCatalog catalog, long uid, long gid, Timestamp mountTime, int groupAbove,
                       java.util.function.Consumer<String> problems) {
        this(trees, catalog, uid, gid, mountTime, groupAbove, problems, true);
    }

    /**
     * @param readAhead whether {@link #inBackground} runs its walks: a mount's, whose browsing is to come;
     *                  not a command that resolves one path and ends (it would walk a whole filesystem
     *                  beside it for nothing)
     */
    public ViewContext(TreeStore trees, SnapshotCatalog catalog, long uid, long gid, Timestamp mountTime, int groupAbove,
                       java.util.function.Consumer<String> problems, boolean readAhead) {
        this.groupAbove = groupAbove;
        this.problems = problems;
        this.trees = trees;
        this.chunks = trees.chunks();
        this.catalog = catalog;
        this.uid = uid;
        this.gid = gid;
        this.mountTime = mountTime;
        // Read-ahead is best effort: when the queue is full the next chunk is simply read on demand.
        this.prefetch = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "strata-prefetch");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        this.background = !readAhead ? null : new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKGROUND_QUEUE), r -> {
            Thread t = new Thread(r, "strata-read-ahead");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        if (background != null) {
            background.allowCoreThreadTimeOut(true);
        }
    }

    /**
     * Runs {@code task} on the mount's read-ahead thread, after those queued before it; when
     * {@value #BACKGROUND_QUEUE} are already waiting, or the view reads nothing ahead, it is dropped.
     * Best effort: the task must catch what it throws, and stop when interrupted (the view is closing).
     */
    public void inBackground(Runnable task) {
        if (background != null) {
            background.execute(task);
        }
    }

    /** Reports a problem met while serving the view (damage in a stored structure) to the mount's log. */
    public void problem(String line) {
        problems.accept(line);
    }

    /** A file's chunk references, content lists read once and remembered. */
    public List<ChunkRef> refs(FileContent content) throws IOException {
        if (content instanceof FileContent.Inline) {
            return ((FileContent.Inline) content).refs();
        }
        synchronized (refs) {
            List<ChunkRef> r = refs.get(content);
            if (r != null) {
                return r;
            }
        }
        List<ChunkRef> r = trees.refs(content);
        synchronized (refs) {
            refs.put(content, r);
        }
        return r;
    }

    /**
     * The listing of the saved folder {@code tree} in {@code snapshot} (inode numbers depend on both),
     * made once by {@code make} and kept while it is among the recently listed.
     */
    List<DirEntry> listing(byte[] snapshot, ChunkId tree, Listings.Maker make) throws IOException {
        return listings.get(snapshot, tree, make);
    }

    /** Bytes of a file's content that are data (not holes): what its blocks count. */
    public long dataBytes(FileContent content) throws IOException {
        long n = 0;
        for (ChunkRef r : refs(content)) {
            if (!r.isHole()) {
                n += r.length();
            }
        }
        return n;
    }

    /** The snapshot list, re-read when it is more than a moment old, so new snapshots appear. */
    public SnapshotCatalog catalog() {
        refresh(REFRESH_MILLIS);
        return catalog;
    }

    /** Re-reads the snapshot list soon after a lookup of a name it does not know (a snapshot just made). */
    SnapshotCatalog recheckedCatalog() {
        refresh(RECHECK_MILLIS);
        return catalog;
    }

    private void refresh(long millis) {
        try {
            catalog.refreshIfOlder(millis);
        } catch (IOException | RuntimeException e) {
            // The mount keeps showing what it knew; the next access tries again.
            problems.accept("cannot re-read the snapshot list: " + e.getMessage());
        }
    }

    /** Starts decoding a chunk in the background so it is cached when a reader gets there. */
    void prefetch(dev.strata.core.id.ChunkId id) {
        prefetch.execute(() -> {
            try {
                chunks.get(id);
            } catch (IOException | RuntimeException ignored) {
                // The reader meets the same error when it gets there, and reports it then.
            }
        });
    }

    /**
     * Starts decoding a chunk in the background for one reader, which takes it from {@code into}; the chunk
     * cache is not filled. Nothing happens when {@code into} is done (the reader gave up on it) before the
     * task runs, nor when the queue is full: the reader then decodes the chunk itself.
     */
    void decodeAhead(ChunkId id, CompletableFuture<byte[]> into) {
        prefetch.execute(() -> {
            if (into.isDone()) {
                return;
            }
            try {
                into.complete(chunks.getUncached(id));
            } catch (IOException | RuntimeException e) {
                into.completeExceptionally(e);
            }
        });
    }

    @Override
    public void close() {
        prefetch.shutdownNow();
        if (background == null) {
            return;
        }
        background.shutdownNow();
        try {
            // A walk stops at its next folder; the repository it reads is closed after this.
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
