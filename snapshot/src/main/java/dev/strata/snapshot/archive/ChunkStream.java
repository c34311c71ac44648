package dev.strata.snapshot.archive;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Writes a file's content, in order, to a stream: the next chunks are fetched (decrypted and
 * decompressed) ahead on a pool, at most four and 4 MiB beyond the one being written, so memory
 * stays a few MiB whatever the file's size; holes are written as zeros. Confined to one thread
 * (the pool is shared).
 */
final class ChunkStream {
    private static final int READ_AHEAD = 4;
    private static final long READ_AHEAD_BYTES = 4L << 20;
    private static final byte[] ZEROS = new byte[64 << 10];

    private final ChunkStore store;
    private final ExecutorService loaders;

    ChunkStream(ChunkStore store, ExecutorService loaders) {
        this.store = store;
        this.loaders = loaders;
    }

    /** Writes the bytes {@code refs} cover to {@code out}, holes as zeros unless {@code skipHoles}; returns how many. */
    long write(List<ChunkRef> refs, OutputStream out, boolean skipHoles) throws IOException {
        Deque<CompletableFuture<byte[]>> window = new ArrayDeque<>();
        long windowBytes = 0;
        int next = 0;
        long written = 0;
        try {
            for (ChunkRef r : refs) {
                if (r.isHole() && skipHoles) {
                    continue;
                }
                if (r.isHole()) {
                    for (long left = r.length(); left > 0; ) {
                        int n = (int) Math.min(ZEROS.length, left);
                        out.write(ZEROS, 0, n);
                        left -= n;
                    }
                    written += r.length();
                    continue;
                }
                while (next < refs.size() && (window.isEmpty() || window.size() < READ_AHEAD && windowBytes < READ_AHEAD_BYTES)) {
                    ChunkRef ahead = refs.get(next++);
                    if (!ahead.isHole()) {
                        window.add(fetch(ahead.id()));
                        windowBytes += ahead.length();
                    }
                }
                windowBytes -= r.length();
                byte[] data = await(window.poll());
                if (data.length != r.length()) {
                    throw new CorruptDataException("chunk " + r.id().shortString() + " has " + data.length
                            + " bytes, the file expects " + r.length());
                }
                out.write(data);
                written += data.length;
            }
            return written;
        } finally {
            window.forEach(f -> f.cancel(false));
        }
    }

    private CompletableFuture<byte[]> fetch(ChunkId id) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return store.get(id);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, loaders);
    }

    private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }
}
