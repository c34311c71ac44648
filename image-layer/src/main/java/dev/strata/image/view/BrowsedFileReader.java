package dev.strata.image.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.image.browse.BrowsableFs;
import dev.strata.image.browse.ByteSource;
import dev.strata.image.browse.DataRun;
import dev.strata.image.browse.FsNode;

import java.io.IOException;
import java.util.List;

/**
 * An open regular file inside an imaged filesystem. Its runs (where its bytes lie, from the
 * filesystem's extents or cluster chain) are looked up once at the first read; every read then goes
 * straight to the partition's data reader, whose read-ahead follows the device, with holes as zeros.
 * A file whose bytes lie elsewhere (ext inline data) or in very many pieces is read through the
 * filesystem reader instead. Thread-safe.
 */
final class BrowsedFileReader implements OpenFile {
    /** More pieces than this are not kept per open file (about 40 bytes each). */
    static final int MAX_RUNS = 65_536;

    private final BrowsableFs fs;
    private final ByteSource data;
    private final FsNode node;
    private volatile List<DataRun> runs;
    private volatile boolean viaFs;

    BrowsedFileReader(BrowsableFs fs, ByteSource data, FsNode node) {
        this.fs = fs;
        this.data = data;
        this.node = node;
    }

    @Override
    public int read(long offset, int length, ReadSink sink) throws IOException {
        int n = (int) Math.max(0, Math.min(length, node.size() - offset));
        if (n == 0) {
            return 0;
        }
        byte[] b = new byte[n];
        List<DataRun> r = runs();
        if (r == null) {
            int got = fs.read(node, offset, b, 0, n);
            if (got > 0) {
                sink.put(0, b, 0, got);
            }
            return Math.max(0, got);
        }
        long end = offset + n;
        for (int i = first(r, offset); i < r.size() && r.get(i).fileOffset() < end; i++) {
            DataRun run = r.get(i);
            long from = Math.max(offset, run.fileOffset());
            long to = Math.min(end, run.fileOffset() + run.length());
            if (from < to) {
                data.readFully(run.position() + (from - run.fileOffset()), b, (int) (from - offset), (int) (to - from));
            }
        }
        // Bytes no run covers are holes: the array is zeros there already.
        sink.put(0, b, 0, n);
        return n;
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
