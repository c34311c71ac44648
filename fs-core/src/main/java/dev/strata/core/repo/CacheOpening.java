package dev.strata.core.repo;

import dev.strata.core.index.IndexCache;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.store.TaskResults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * The index cache opened on a thread of its own, and a warm-up read of it, while the opening thread
 * derives the key: Argon2id keeps one core busy for a few tenths of a second, and opening the cache
 * and reading from it in a fresh JVM take about as long on the other. Started by one thread, which
 * then either takes the cache ({@link #join}) or gives it up ({@link #abandon}).
 */
final class CacheOpening {
    private final FutureTask<IndexCache.Opened> task;

    private CacheOpening(FutureTask<IndexCache.Opened> task) {
        this.task = task;
    }

    /**
     * Starts opening the cache in {@code folder} when it exists, else returns null: a cache is made only
     * once the password is known to be right, so that a wrong one leaves nothing behind.
     */
    static CacheOpening startIfPresent(Path folder, byte[] repositoryId, Instant now, Consumer<LmdbEnvironment> warmUp) {
        if (!Files.isRegularFile(folder.resolve("data.mdb"))) {
            return null;
        }
        FutureTask<IndexCache.Opened> task = new FutureTask<>(() -> {
            IndexCache.Opened opened = IndexCache.open(folder, repositoryId, now);
            try {
                warmUp.accept(opened.lmdb());
            } catch (RuntimeException ignored) {
                // A warm-up only reads ahead: what it could not read, the command reads and reports.
            }
            return opened;
        });
        Thread t = new Thread(task, "strata-cache-open");
        t.setDaemon(true);
        t.start();
        return new CacheOpening(task);
    }

    /** The opened cache, once the warm-up is over; the opening's own error if it failed. */
    IndexCache.Opened join() throws IOException {
        return TaskResults.await(task);
    }

    /**
     * For an open that failed (a wrong password): waits for the opening and closes the cache as it
     * was found, without the mark a sound cache gets at close.
     */
    void abandon() {
        try {
            join().lmdb().close();
        } catch (IOException | RuntimeException ignored) {
            // The opening failed too; the command reports why the open failed.
        }
    }
}
