package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.pack.FinishedPack;
import dev.strata.core.pack.IndexFile;
import dev.strata.core.pack.KeySpace;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.pack.PackWriter;
import dev.strata.core.pack.SealedEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Appends sealed entries to the open pack of their type and, when a pack reaches its target size,
 * finishes it in the background in the order the durability rules demand: fsync the pack, store it
 * in the backend, then add it to the index, then report its chunks as indexed. The packs stored are
 * described in index files (docs/format.md §9.1): at a flush once there are enough of them, and at
 * close. Thread-safe.
 */
final class PackSink implements AutoCloseable {
    /** Finished packs waiting to be stored; bounds staging disk use and memory. */
    private static final int MAX_PENDING_PACKS = 2;
    /**
     * A flush writes an index file once this many packs are stored and not yet described (close writes
     * one for any): a live volume flushes every few seconds, and an index file per pack would double
     * the objects a new client lists and reads.
     */
    static final int PACKS_PER_INDEX_FILE = 16;

    private final Backend backend;
    private final LmdbIndex index;
    private final Aes256GcmCipher cipher;
    private final Path staging;
    private final Map<PackType, Long> targetSize = new EnumMap<>(PackType.class);
    private final Consumer<List<ChunkId>> onIndexed;
    /** The open pack of each type and key space: a pack holds ids under one key only. */
    private final Map<Slot, PackWriter> open = new java.util.HashMap<>();
    private final ExecutorService storer;
    private final Semaphore pending = new Semaphore(MAX_PENDING_PACKS);
    private final Object lock = new Object();
    private int inProgress;
    /** Packs stored and indexed that no index file describes yet. */
    private final List<PackTable> undescribed = new ArrayList<>();
    private IOException failure;
    /** Where stored tree packs are kept locally, or null. */
    private volatile TreePackCache treePacks;
    private boolean closed;

    PackSink(Backend backend, LmdbIndex index, Aes256GcmCipher cipher, Path staging,
             long dataPackSize, long treePackSize, Consumer<List<ChunkId>> onIndexed) {
        this.backend = backend;
        this.index = index;
        this.cipher = cipher;
        this.staging = staging;
        this.targetSize.put(PackType.DATA, dataPackSize);
        this.targetSize.put(PackType.TREE, treePackSize);
        this.onIndexed = onIndexed;
        this.storer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "strata-pack-store");
            t.setDaemon(true);
            return t;
        });
    }

    /** From now on, every tree pack stored is also kept in {@code cache}. */
    void keepTreePacks(TreePackCache cache) {
        treePacks = cache;
    }

    private record Slot(PackType type, KeySpace space) {
    }

    void append(PackType type, SealedEntry entry) throws IOException {
        append(type, KeySpace.REPOSITORY, entry);
    }

    /** Appends an entry whose id is under {@code space}'s key to an open pack of that space. */
    void append(PackType type, KeySpace space, SealedEntry entry) throws IOException {
        PackWriter full = null;
        Slot slot = new Slot(type, space);
        synchronized (lock) {
            checkUsable();
            PackWriter w = open.get(slot);
            if (w == null) {
                w = new PackWriter(type, space, staging, cipher);
                open.put(slot, w);
            }
            w.add(entry);
            if (w.size() >= targetSize.get(type)) {
                open.remove(slot);
                inProgress++;
                full = w;
            }
        }
        if (full != null) {
            submit(full);
        }
    }

    /** Finishes the open packs and waits until every pack handed over so far is stored and indexed. */
    void flush() throws IOException {
        List<PackWriter> toFinish = List.of();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the chunk store is closed");
            }
            // After a failure nothing new is stored, but packs already handed over are still waited
            // for: when flush returns or throws, no pack of this sink is being stored any more.
            if (failure == null) {
                toFinish = new ArrayList<>(open.values());
                open.clear();
                inProgress += toFinish.size();
            }
        }
        for (PackWriter w : toFinish) {
            submit(w);
        }
        synchronized (lock) {
            while (inProgress > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while storing packs");
                }
            }
            if (failure != null) {
                throw new IOException("storing packs failed: " + failure.getMessage(), failure);
            }
        }
        try {
            describe(PACKS_PER_INDEX_FILE);
        } catch (IOException | RuntimeException e) {
            // Kept for the next try; the packs are stored and indexed whatever becomes of their description.
        }
    }

    /**
     * Writes an index file of the packs stored since the last one, if there are at least {@code min}.
     * Only after the packs are durable: an index file never names a pack that is not stored.
     */
    private void describe(int min) throws IOException {
        List<PackTable> batch;
        synchronized (lock) {
            if (undescribed.size() < Math.max(1, min)) {
                return;
            }
            batch = new ArrayList<>(undescribed);
            undescribed.clear();
        }
        try {
            backend.put(IndexFile.newName(), IndexFile.seal(cipher, batch));
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                undescribed.addAll(0, batch);
            }
            throw e;
        }
    }

    private void submit(PackWriter w) throws IOException {
        try {
            pending.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(w);
            throw new InterruptedIOException("interrupted while waiting to store a pack");
        }
        storer.execute(() -> {
            try {
                store(w);
            } catch (IOException | RuntimeException e) {
                abandon(w);
                synchronized (lock) {
                    if (failure == null) {
                        failure = e instanceof IOException ? (IOException) e : new IOException(e);
                    }
                }
            } finally {
                pending.release();
                synchronized (lock) {
                    inProgress--;
                    lock.notifyAll();
                }
            }
        });
    }

    private void store(PackWriter w) throws IOException {
        FinishedPack pack = w.finish();
        TreePackCache cache = treePacks;
        TreePackCache.Staged kept = cache == null ? TreePackCache.Staged.NONE : cache.stage(pack);
        try {
            backend.putFile(PackReader.blobName(pack.id()), pack.file());
        } catch (IOException | RuntimeException e) {
            kept.discard();
            throw e;
        }
        kept.publish();
        index.addPack(pack.id(), pack.type(), pack.size(), pack.entries());
        // Index files describe packs of the repository's own key space only (format.md §9.1): a
        // volume's pack names its key in a longer header, which an index file has no room for; the
        // few such packs are read by their tables.
        if (w.space() == KeySpace.REPOSITORY) {
            synchronized (lock) {
                undescribed.add(new PackTable(pack.id(), pack.type(), pack.size(), pack.entries()));
            }
        }
        List<ChunkId> ids = new ArrayList<>(pack.entries().size());
        for (PackEntry e : pack.entries()) {
            ids.add(e.id());
        }
        onIndexed.accept(ids);
    }

    private static void abandon(PackWriter w) {
        try {
            w.close();
        } catch (IOException ignored) {
            // The staging file may stay behind; prune removes leftovers.
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("the chunk store is closed");
        }
        if (failure != null) {
            throw new IOException("an earlier pack could not be stored: " + failure.getMessage(), failure);
        }
    }

    /** Abandons unfinished packs (their chunks were never indexed) and stops the storer. */
    @Override
    public void close() {
        List<PackWriter> abandoned;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            abandoned = new ArrayList<>(open.values());
            open.clear();
        }
        abandoned.forEach(PackSink::abandon);
        storer.shutdown();
        try {
            // A pack being stored finishes (or fails) before the index and lock go away under it.
            storer.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            describe(1);
        } catch (IOException | RuntimeException e) {
            // Only a shortcut is lost: a client that finds these packs undescribed reads their tables.
        }
    }
}
