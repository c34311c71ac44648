package dev.strata.snapshot.restore;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.Node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One regular file of a restore whose chunks arrive in pack order rather than file order: created at
 * its first chunk, each chunk written at its own offset (holes are never written, so they stay holes),
 * and finished when the last one has arrived or failed. Thread-safe: chunks may arrive on several
 * threads at once; the thread that delivers the last one finishes the file.
 */
final class PendingFile {
    /**
     * At most 1 MiB per write: the JDK copies through a direct buffer of the write's size that it keeps
     * per thread, so writing a whole 8 MiB chunk at once would keep 8 MiB per thread.
     */
    static final int MAX_WRITE = 1 << 20;

    /** What the restore does around a file's content. Called on whichever thread gets there. */
    interface Outcome {
        /** Creates the file for writing; null when it is not to be written (kept as it is, or skipped). */
        FileChannel open(PendingFile file) throws IOException;

        /**
         * Every chunk has been written, or one could not be ({@code failure}, the first). {@code created}
         * says whether this restore created the file, so that a failed one is removed and nothing else is.
         */
        void finish(PendingFile file, boolean created, Exception failure);
    }

    final Place place;
    final Node node;
    final String snapshotPath;
    final List<ChunkRef> refs;
    /** Where the last data chunk ends: a shorter file is extended to its size at the end, so a trailing hole stays one. */
    final long dataEnd;
    /** Completes with whether the file now holds the snapshot's content (its hard links wait on it). */
    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private final Outcome outcome;
    private final AtomicLong bytesWritten;
    private final AtomicInteger remaining;
    private boolean opened;
    private FileChannel channel;
    private Exception failure;
    /** Set by {@link Outcome#open} when it keeps what is there instead: the file holds the content without a write. */
    volatile boolean kept;

    PendingFile(Place place, Node node, String snapshotPath, List<ChunkRef> refs, Outcome outcome,
                AtomicLong bytesWritten) {
        this.place = place;
        this.node = node;
        this.snapshotPath = snapshotPath;
        this.refs = refs;
        this.outcome = outcome;
        this.bytesWritten = bytesWritten;
        int chunks = 0;
        long offset = 0;
        long end = 0;
        for (ChunkRef r : refs) {
            offset += r.length();
            if (!r.isHole()) {
                chunks++;
                end = offset;
            }
        }
        this.dataEnd = end;
        this.remaining = new AtomicInteger(chunks);
    }

    /** How many data chunks the file still waits for. */
    int waitingFor() {
        return remaining.get();
    }

    /** Writes one chunk at {@code offset} (unless the file failed or is not written) and counts it as arrived. */
    void write(byte[] data, long offset, long length) {
        try {
            if (data.length != length) {
                throw new CorruptDataException("chunk has " + data.length + " bytes, the file expects " + length);
            }
            FileChannel ch = channel();
            if (ch != null) {
                long pos = offset;
                for (int at = 0; at < data.length; ) {
                    int n = ch.write(ByteBuffer.wrap(data, at, Math.min(MAX_WRITE, data.length - at)), pos);
                    pos += n;
                    at += n;
                }
                bytesWritten.addAndGet(data.length);
            }
        } catch (Exception e) {
            fail(e);
        }
        arrived();
    }

    /** A chunk of the file could not be had: the file fails, and the chunk counts as arrived. */
    void missing(Exception why) {
        fail(why);
        arrived();
    }

    private synchronized void fail(Exception e) {
        if (failure == null) {
            failure = e;
        }
    }

    private synchronized FileChannel channel() throws IOException {
        if (failure != null) {
            return null;
        }
        if (!opened) {
            opened = true;
            channel = outcome.open(this);
        }
        return channel;
    }

    private void arrived() {
        if (remaining.decrementAndGet() == 0) {
            finish();
        }
    }

    /**
     * Closes the file and hands it to the outcome; called by the last chunk's thread, or directly for a
     * file without data chunks (empty or all holes), which is created here.
     */
    void finish() {
        boolean created;
        Exception why;
        synchronized (this) {
            try {
                if (failure == null && !opened) {
                    opened = true;
                    channel = outcome.open(this);
                }
            } catch (Exception e) {
                fail(e);
            }
            created = channel != null;
            if (created) {
                try {
                    channel.close();
                } catch (Exception e) {
                    fail(e);
                }
            }
            why = failure;
        }
        outcome.finish(this, created, why);
    }
}
