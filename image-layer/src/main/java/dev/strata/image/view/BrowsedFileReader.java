package dev.strata.image.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.image.browse.BrowsableFs;
import dev.strata.image.browse.DataRun;
import dev.strata.image.browse.FsNode;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * An open regular file inside an imaged filesystem. Its runs (where its bytes lie, from the
 * filesystem's extents or cluster chain) are looked up once at the first read; every read then goes
 * straight to the partition's data reader, whose read-ahead follows the device, and from the decoded
 * chunks straight into the caller's buffer (no array per read: reading an image's files allocated
 * as many bytes again as it read, and the collections that cost promoted the chunks in flight), with
 * holes as zeros. A file whose bytes lie elsewhere (ext inline data) or in very many pieces is read
 * through the filesystem reader instead. Thread-safe.
 */
final class BrowsedFileReader implements OpenFile {
    /** More pieces than this are not kept per open file (about 40 bytes each). */
    static final int MAX_RUNS = 65_536;

    private final BrowsableFs fs;
    private final OpenFile partition;
    private final FsNode node;
    private volatile List<DataRun> runs;
    private volatile boolean viaFs;

    /** @param partition the partition's bytes for file contents, from its first byte */
    BrowsedFileReader(BrowsableFs fs, OpenFile partition, FsNode node) {
        this.fs = fs;
        this.partition = partition;
        this.node = node;
    }

    @Override
    public int read(long offset, int length, ReadSink sink) throws IOException {
        int n = (int) Math.max(0, Math.min(length, node.size() - offset));
        if (n == 0) {
            return 0;
        }
        List<DataRun> r = runs();
        if (r == null) {
            byte[] b = new byte[n];
            int got = fs.read(node, offset, b, 0, n);
            if (got > 0) {
                sink.put(0, b, 0, got);
            }
            return Math.max(0, got);
        }
        long end = offset + n;
        long pos = offset;
        for (int i = first(r, offset); i < r.size() && r.get(i).fileOffset() < end; i++) {
            DataRun run = r.get(i);
            long from = Math.max(pos, run.fileOffset());
            long to = Math.min(end, run.fileOffset() + run.length());
            if (from < to) {
                // Bytes no run covers are holes.
                if (from > pos) {
                    sink.zero((int) (pos - offset), (int) (from - pos));
                }
                copy(run.position() + (from - run.fileOffset()), (int) (to - from), sink, (int) (from - offset));
                pos = to;
            }
        }
        if (pos < end) {
            sink.zero((int) (pos - offset), (int) (end - pos));
        }
        return n;
    }

    /** Puts {@code length} bytes of the partition at {@code position} into {@code sink} at {@code at}. */
    private void copy(long position, int length, ReadSink sink, int at) throws IOException {
        try {
            PartitionSource.copy(partition, position, length, sink, at);
        } catch (EOFException e) {
            throw new EOFException("inode " + node.id() + ": " + e.getMessage() + ", inside the file's bytes");
        }
    }

    /** The runs, or null when the file is read through the filesystem reader. */
    private List<DataRun> runs() throws IOException {
        if (viaFs) {
            return null;
        }
        List<DataRun> r = runs;
        if (r == null) {
            r = fs.dataRuns(node);
            if ((r.isEmpty() && node.size() > 0) || r.size() > MAX_RUNS) {
                viaFs = true;
                return null;
            }
            runs = r;
        }
        return r;
    }

    /** The index of the last run starting at or before {@code offset} (0 if none does). */
    private static int first(List<DataRun> r, long offset) {
        int lo = 0;
        int hi = r.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (r.get(mid).fileOffset() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void close() {
        runs = null;
    }
}
