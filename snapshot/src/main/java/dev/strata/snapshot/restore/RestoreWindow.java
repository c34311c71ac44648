package dev.strata.snapshot.restore;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A window of files restored together in pack order: their chunks are located in the index and
 * grouped by pack; each pack's needed entries are read in runs of nearby entries (one ranged read per
 * run, so each pack once per window), and every chunk read is written to each file and offset that
 * needs it, so a chunk shared by many files is read and decrypted once. Runs go to the reading threads
 * in parallel; each holds at most one run and one chunk, so memory is bounded by the number of threads,
 * and the window by files and bytes, so that what it plans and keeps open does not grow with the tree.
 * Filled on one thread, then started once; thread-safe after that.
 */
final class RestoreWindow {
    /** A window plans at most this many files: the most a window may hold open at once. */
    static final int MAX_FILES = 1024;
    /** … and about this many bytes of data, so that a window of large files still spreads over the threads. */
    static final long MAX_BYTES = 256L << 20;
    /** Entries at most this far apart are read together, the bytes between them with them. */
    static final int GAP = 256 << 10;
    /**
     * … or this far from remote storage, where each read is a request and a round trip that costs
     * about as much as a few MiB of transfer.
     */
    static final int REMOTE_GAP = 4 << 20;
    /** A run spans at most this many stored bytes; an entry larger than that is a run of its own. */
    static final int RUN_BYTES = 4 << 20;
    /**
     * … or this many from remote storage: a whole pack is one request, as restic reads its packs. A
     * run is streamed (one entry held at a time), so its length costs no memory.
     */
    static final int REMOTE_RUN_BYTES = 1 << 30;

    private final ChunkStore store;
    private final int runBytes;
    private final int gap;
    private final List<PendingFile> files = new ArrayList<>();
    private final Map<ChunkId, Use> uses = new HashMap<>();
    private long bytes;

    RestoreWindow(ChunkStore store) {
        this.store = store;
        this.runBytes = store.remote() ? REMOTE_RUN_BYTES : RUN_BYTES;
        this.gap = store.remote() ? REMOTE_GAP : GAP;
    }

    /** One chunk the window needs: where the index has it, and every file and offset it goes to. */
    private static final class Use {
        final ChunkId id;
        final ChunkLocation location;
        final List<PendingFile> files = new ArrayList<>(1);
        final List<long[]> at = new ArrayList<>(1);
        /** Whether the chunk has been delivered or failed (set on the reading thread). */
        boolean settled;

        Use(ChunkId id, ChunkLocation location) {
            this.id = id;
            this.location = location;
        }

        void deliver(byte[] plain) {
            settled = true;
            for (int i = 0; i < files.size(); i++) {
                files.get(i).write(plain, at.get(i)[0], at.get(i)[1]);
            }
        }

        void fail(Exception why) {
            settled = true;
            files.forEach(f -> f.missing(why));
        }
    }

    /**
     * Plans a file: looks up where each of its chunks is. All lookups come first, so a file whose
     * lookup fails is not half planned (it would wait forever for chunks never asked for).
     */
    void add(PendingFile f) throws IOException {
        Map<ChunkId, Use> found = new HashMap<>();
        for (ChunkRef r : f.refs) {
            if (!r.isHole() && !uses.containsKey(r.id()) && !found.containsKey(r.id())) {
                Optional<ChunkLocation> loc = store.locate(r.id());
                found.put(r.id(), new Use(r.id(), loc.orElse(null)));
            }
        }
        uses.putAll(found);
        long offset = 0;
        for (ChunkRef r : f.refs) {
            if (!r.isHole()) {
                Use u = uses.get(r.id());
                u.files.add(f);
                u.at.add(new long[] {offset, r.length()});
                bytes += r.length();
            }
            offset += r.length();
        }
        files.add(f);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    boolean full() {
        return files.size() >= MAX_FILES || bytes >= MAX_BYTES;
    }

    /** Starts the reads and writes on {@code readers}; completes when every file of the window is finished. */
    CompletableFuture<Void> start(Executor readers) {
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        List<PendingFile> noData = files.stream().filter(f -> f.waitingFor() == 0).toList();
        if (!noData.isEmpty()) {
            tasks.add(CompletableFuture.runAsync(() -> noData.forEach(PendingFile::finish), readers));
        }
        Map<PackId, List<Use>> byPack = new LinkedHashMap<>();
        for (Use u : uses.values()) {
            if (u.location == null) {
                // Not in the index: get() says why (or finds it after catching up with the repository).
                tasks.add(CompletableFuture.runAsync(() -> readAlone(u), readers));
            } else {
                byPack.computeIfAbsent(u.location.pack(), p -> new ArrayList<>()).add(u);
            }
        }
        for (Map.Entry<PackId, List<Use>> e : byPack.entrySet()) {
            for (List<Use> run : runs(e.getValue())) {
                tasks.add(CompletableFuture.runAsync(() -> read(e.getKey(), run), readers));
            }
        }
        return CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new));
    }

    /** Splits a pack's chunks, in offset order, into runs of nearby entries of at most {@link #RUN_BYTES}. */
    static <T> List<List<T>> runs(List<T> items, java.util.function.Function<T, PackEntry> entry) {
        return runs(items, entry, RUN_BYTES, GAP);
    }

    /** As {@link #runs(List, java.util.function.Function)}, with runs of at most {@code runBytes} and gaps of at most {@code gap}. */
    static <T> List<List<T>> runs(List<T> items, java.util.function.Function<T, PackEntry> entry, int runBytes, int gap) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(t -> entry.apply(t).offset()));
        List<List<T>> runs = new ArrayList<>();
        List<T> run = new ArrayList<>();
        long start = 0;
        long end = 0;
        for (T t : sorted) {
            PackEntry e = entry.apply(t);
            if (!run.isEmpty() && (e.offset() - end > gap || e.end() - start > runBytes)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            if (run.isEmpty()) {
                start = e.offset();
            }
            run.add(t);
            end = Math.max(end, e.end());
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    private List<List<Use>> runs(List<Use> uses) {
        return runs(uses, u -> u.location.entry(), runBytes, gap);
    }

    private void read(PackId pack, List<Use> run) {
        Map<ChunkId, Use> byId = new HashMap<>();
        List<PackEntry> entries = new ArrayList<>(run.size());
        for (Use u : run) {
            byId.put(u.id, u);
            entries.add(u.location.entry());
        }
        try {
            store.getRun(pack, entries, new ChunkStore.RunSink() {
                @Override
                public void chunk(ChunkId id, byte[] plain) {
                    byId.get(id).deliver(plain);
                }

                @Override
                public void failed(ChunkId id, IOException why) {
                    byId.get(id).fail(why);
                }
            });
        } catch (RuntimeException e) {
            // Nothing may be left waiting: the files of what this run did not settle fail with it.
            run.stream().filter(u -> !u.settled).forEach(u -> u.fail(e));
        }
    }

    private void readAlone(Use u) {
        byte[] plain;
        try {
            plain = store.get(u.id);
        } catch (IOException | RuntimeException e) {
            u.fail(e);
            return;
        }
        u.deliver(plain);
    }
}
