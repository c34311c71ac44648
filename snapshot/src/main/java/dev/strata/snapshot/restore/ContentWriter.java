package dev.strata.snapshot.restore;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.chunk.ZeroDetector;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.posix.Extent;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file's content from its chunk references: chunks are fetched a few ahead (by count and
 * bytes) on a loader pool, data is written at its offset, holes are skipped so they stay holes, and the length is set
 * last. Thread-safe.
 */
final class ContentWriter {
    /**
     * Chunks of a file fetched ahead: at most four, and no more than 4 MiB beyond the first (chunks
     * are up to 8 MiB), so the writing threads together hold a few MiB of plaintext, not 128.
     */
    private static final int READ_AHEAD = 4;
    private static final long READ_AHEAD_BYTES = 4L << 20;
    static final int MAX_WRITE = 1 << 20;

    private final ChunkStore store;
    private final Posix posix;
    private final ExecutorService loaders;
    private final AtomicLong bytesWritten;

    ContentWriter(ChunkStore store, Posix posix, ExecutorService loaders, AtomicLong bytesWritten) {
        this.store = store;
        this.posix = posix;
        this.loaders = loaders;
        this.bytesWritten = bytesWritten;
    }

    /**
     * Creates the regular file at {@code path}, which must not exist, and writes {@code refs} into
     * it. One open per file, and a file of one chunk (most small files) is fetched on this thread.
     */
    void create(Path path, List<ChunkRef> refs, long size) throws IOException {
        boolean readAhead = refs.stream().filter(r -> !r.isHole()).limit(2).count() > 1;
        long end = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Deque<CompletableFuture<byte[]>> window = new ArrayDeque<>();
            int next = 0;
            long windowBytes = 0;
            long offset = 0;
            for (ChunkRef r : refs) {
                if (r.isHole()) {
                    offset += r.length();
                    continue;
                }
                while (readAhead && next < refs.size() && (window.isEmpty()
                        || window.size() < READ_AHEAD && windowBytes < READ_AHEAD_BYTES)) {
                    ChunkRef ahead = refs.get(next++);
                    if (!ahead.isHole()) {
                        window.add(fetch(ahead.id()));
                        windowBytes += ahead.length();
                    }
                }
                if (readAhead) {
                    windowBytes -= r.length();
                }
                byte[] data = readAhead ? await(window.poll()) : store.get(r.id());
                if (data.length != r.length()) {
                    throw new CorruptDataException("chunk " + r.id().shortString() + " has " + data.length
                            + " bytes, the file expects " + r.length());
                }
                long pos = offset;
                for (int at = 0; at < data.length; ) {
                    // At most 1 MiB per write: the JDK copies through a direct buffer of the write's
                    // size that it keeps per thread, so a whole 8 MiB chunk would keep 8 MiB per thread.
                    ByteBuffer buf = ByteBuffer.wrap(data, at, Math.min(MAX_WRITE, data.length - at));
                    int n = ch.write(buf, pos);
                    pos += n;
                    at += n;
                }
                bytesWritten.addAndGet(data.length);
                offset += r.length();
                end = offset;
            }
        }
        if (end < size) {
            // After the last write, so that a hole at the end stays a hole (by path, not File: the
            // name's bytes may not be UTF-8).
            Posix.get().truncate(path, size);
        }
    }

    /**
     * Re-reads a restored file and checks each region against its chunk id. Holes must read as
     * zeros: only the parts of a hole the filesystem holds data for are read, so a huge sparse file
     * costs what it stores, not its size.
     */
    void verify(Path path, List<ChunkRef> refs, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path)) {
            if (ch.size() != size) {
                throw new CorruptDataException(path + " has " + ch.size() + " bytes after restore, expected " + size);
            }
            List<Extent> stored = null;
            long offset = 0;
            for (ChunkRef r : refs) {
                if (r.isHole()) {
                    if (stored == null) {
                        stored = posix.dataExtents(path);
                    }
                    verifyHole(ch, path, stored, offset, offset + r.length());
                } else {
                    byte[] data = new byte[(int) r.length()];
                    for (int at = 0; at < data.length; at += MAX_WRITE) {
                        readFully(ch, path, data, at, Math.min(MAX_WRITE, data.length - at), offset + at);
                    }
                    if (!store.holdsContentOf(r.id(), data)) {
                        throw new CorruptDataException(path + ": bytes at " + offset + " do not match chunk " + r.id().shortString());
                    }
                }
                offset += r.length();
            }
        }
    }

    /** Checks that the stored parts of [from, to) read as zeros. */
    private static void verifyHole(FileChannel ch, Path path, List<Extent> stored, long from, long to) throws IOException {
        byte[] buf = null;
        for (Extent e : stored) {
            long start = Math.max(from, e.offset());
            long end = Math.min(to, e.end());
            for (long pos = start; pos < end; ) {
                if (buf == null) {
                    buf = new byte[1 << 20];
                }
                int n = (int) Math.min(buf.length, end - pos);
                readFully(ch, path, buf, n, pos);
                if (!ZeroDetector.isAllZero(buf, 0, n)) {
                    throw new CorruptDataException(path + ": a hole at " + pos + " holds data");
                }
                pos += n;
            }
        }
    }

    private static void readFully(FileChannel ch, Path path, byte[] into, int length, long at) throws IOException {
        readFully(ch, path, into, 0, length, at);
    }

    private static void readFully(FileChannel ch, Path path, byte[] into, int from, int length, long at) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, from, length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position() - from) < 0) {
                throw new CorruptDataException(path + " ends early");
            }
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
