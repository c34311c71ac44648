package dev.strata.image;

import dev.strata.core.chunk.ZeroDetector;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Restores an image snapshot, or one partition of it, onto a device or file: chunks are fetched a
 * few ahead, data is written at its offset, holes are skipped on a file (it stays sparse) and
 * written as zeros on a device, everything is flushed, then read back and checked against the
 * chunk ids. Confined to one thread (it starts its own loaders).
 */
public final class ImageRestorer {
    private static final int READ_AHEAD = 4;
    private static final byte[] ZEROS = new byte[1 << 20];

    private final TreeStore trees;
    private final ChunkStore store;

    public ImageRestorer(Repository repo) {
        this.store = repo.store();
        this.trees = new TreeStore(store);
    }

    /** What a restore did. */
    public record Report(Path target, boolean device, long bytes, long bytesWritten, boolean verified) {
    }

    /** The device's chunk references, from the snapshot's {@code disk.img}. */
    public List<ChunkRef> diskRefs(Snapshot s) throws IOException {
        Tree tree = trees.read(s.tree());
        Node disk = tree.find(ImageDescription.DISK_FILE).filter(Node::isFile).orElseThrow(() -> new CorruptDataException("image snapshot " + s.shortId() + " has no "
                        + ImageDescription.DISK_FILE));
        return trees.refs(disk.content());
    }

    /**
     * Restores {@code s} (partition {@code partition}, or the whole device when 0) onto {@code target}.
     *
     * @param overwrite whether an existing non-empty file may be replaced
     */
    public Report restore(Snapshot s, int partition, Path target, boolean overwrite, ImageCounters counters)
            throws IOException {
        ImageDescription d = ImageDescription.fromJson(s.extra());
        ByteRange window = new ByteRange(0, d.deviceSize());
        if (partition != 0) {
            window = d.partition(partition).map(ImageDescription.PartitionInfo::range).orElseThrow(
                    () -> new UserFacingException(ExitCode.NOT_FOUND, "image " + d.name() + " (" + s.shortId()
                            + ") has no partition " + partition + (d.partitions().isEmpty() ? " (it has no partition table)" : "")));
        }
        List<ChunkRef> refs = diskRefs(s);
        counters.totalBytes.set(window.length());
        ExecutorService loaders = Executors.newFixedThreadPool(READ_AHEAD, r -> {
            Thread t = new Thread(r, "strata-image-restore");
            t.setDaemon(true);
            return t;
        });
        try (RestoreTarget t = RestoreTarget.open(target, window.length(), overwrite)) {
            counters.phase = "restore";
            long written = write(refs, window, t, loaders, counters);
            if (!t.device) {
                t.file.setLength(window.length());
            }
            t.channel.force(true);
            counters.phase = "verify";
            counters.bytesDone.set(0);
            verify(refs, window, t, counters);
            return new Report(target, t.device, window.length(), written, true);
        } finally {
            loaders.shutdownNow();
        }
    }

    /** One piece of the window: a slice {@code [from, from+length)} of reference {@code ref}, at target offset {@code at}. */
    private record Piece(ChunkRef ref, int from, int length, long at) {
    }

    private long write(List<ChunkRef> refs, ByteRange window, RestoreTarget t, ExecutorService loaders,
                       ImageCounters counters) throws IOException {
        List<Piece> pieces = pieces(refs, window);
        Deque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
        int next = 0;
        long written = 0;
        for (Piece p : pieces) {
            if (p.ref().isHole()) {
                if (t.device) {
                    writeZeros(t.channel, p.at(), p.length());
                    written += p.length();
                }
                counters.bytesDone.addAndGet(p.length());
                continue;
            }
            while (ahead.size() < READ_AHEAD && next < pieces.size()) {
                Piece q = pieces.get(next++);
                if (!q.ref().isHole()) {
                    ChunkId id = q.ref().id();
                    ahead.add(CompletableFuture.supplyAsync(() -> load(id), loaders));
                }
            }
            byte[] data = await(ahead.poll());
            if (data.length != p.ref().length()) {
                throw new CorruptDataException("chunk " + p.ref().id().shortString() + " has " + data.length
                        + " bytes, the image expects " + p.ref().length());
            }
            ByteBuffer buf = ByteBuffer.wrap(data, p.from(), p.length());
            long pos = p.at();
            while (buf.hasRemaining()) {
                pos += t.channel.write(buf, pos);
            }
            written += p.length();
            counters.bytesDone.addAndGet(p.length());
            counters.bytesTransferred.addAndGet(p.length());
        }
        return written;
    }

    private void verify(List<ChunkRef> refs, ByteRange window, RestoreTarget t, ImageCounters counters) throws IOException {
        byte[] buf = new byte[0];
        for (Piece p : pieces(refs, window)) {
            if (buf.length < p.length()) {
                buf = new byte[p.length() <= Integer.MAX_VALUE ? Math.max(p.length(), 1 << 20) : 1 << 20];
            }
            if (p.ref().isHole()) {
                for (long off = 0; off < p.length(); off += ZEROS.length) {
                    int n = (int) Math.min(ZEROS.length, p.length() - off);
                    readFully(t.channel, p.at() + off, buf, n);
                    if (!ZeroDetector.isAllZero(buf, 0, n)) {
                        throw mismatch(t, p.at() + off, "zeros");
                    }
                }
            } else {
                readFully(t.channel, p.at(), buf, p.length());
                boolean ok;
                if (p.from() == 0 && p.length() == p.ref().length()) {
                    ok = store.hasher().hash(Arrays.copyOf(buf, p.length())).equals(p.ref().id());
                } else {
                    byte[] data = store.get(p.ref().id());
                    ok = Arrays.equals(buf, 0, p.length(), data, p.from(), p.from() + p.length());
                }
                if (!ok) {
                    throw mismatch(t, p.at(), "chunk " + p.ref().id().shortString());
                }
            }
            counters.bytesDone.addAndGet(p.length());
        }
    }

    private static CorruptDataException mismatch(RestoreTarget t, long at, String expected) {
        return new CorruptDataException("verification failed: " + t.path + " at byte " + at + " does not hold " + expected
                + " after restore (a failing device?)");
    }

    /** The references covering the window, cut to it, with their offsets in the target. */
    private static List<Piece> pieces(List<ChunkRef> refs, ByteRange window) {
        java.util.ArrayList<Piece> out = new java.util.ArrayList<>();
        long pos = 0;
        for (ChunkRef r : refs) {
            long end = pos + r.length();
            long from = Math.max(pos, window.start());
            long to = Math.min(end, window.end());
            if (from < to) {
                if (r.isHole()) {
                    // Holes can be long; cut them so one piece fits an int.
                    for (long p = from; p < to; p += 1L << 30) {
                        out.add(new Piece(r, 0, (int) Math.min(1L << 30, to - p), p - window.start()));
                    }
                } else {
                    out.add(new Piece(r, (int) (from - pos), (int) (to - from), from - window.start()));
                }
            }
            pos = end;
            if (pos >= window.end()) {
                break;
            }
        }
        return out;
    }

    private static void writeZeros(FileChannel ch, long at, long length) throws IOException {
        long done = 0;
        while (done < length) {
            ByteBuffer z = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, length - done));
            while (z.hasRemaining()) {
                done += ch.write(z, at + done);
            }
        }
    }

    private static void readFully(FileChannel ch, long at, byte[] buf, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new CorruptDataException("verification failed: the target ends at byte " + pos);
            }
            pos += n;
        }
    }

    private byte[] load(ChunkId id) {
        try {
            return store.get(id);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while restoring");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof java.io.UncheckedIOException) {
                throw ((java.io.UncheckedIOException) c).getCause();
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException("loading a chunk failed", c);
        }
    }
}
