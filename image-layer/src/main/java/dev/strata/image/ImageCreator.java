package dev.strata.image;

import dev.strata.core.posix.ProcessIdentity;

import dev.strata.core.chunk.ZeroDetector;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.PutStats;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.image.browse.BrowsableFilesystems;
import dev.strata.image.browse.DataRun;
import dev.strata.image.browse.FileLocator;
import dev.strata.image.fs.FilesystemInfo;
import dev.strata.image.fs.Filesystems;
import dev.strata.image.partition.Partition;
import dev.strata.image.partition.PartitionTable;
import dev.strata.image.partition.PartitionTables;
import dev.strata.image.source.ImageSource;
import dev.strata.image.source.ResilientReader;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes an image of a source: reads its partition table, with --used-only reads which blocks the
 * ext and FAT filesystems use, then reads the device in large sequential blocks. Runs of zeros of
 * at least {@link #MIN_HOLE} bytes (at {@link #ZERO_UNIT} granularity) and unused blocks become
 * holes, neither chunked nor stored; everything else is one content-defined chunk stream between
 * holes, so shifted data and files also saved by file backups dedup. The device becomes the single
 * file {@code disk.img} of the snapshot's tree; the snapshot record is written last. Confined to
 * one thread (it starts its own workers).
 */
public final class ImageCreator {
    /** Bytes read from the source at a time. */
    static final int READ_BLOCK = 8 << 20;
    /** Granularity of zero detection. */
    static final int ZERO_UNIT = 4096;
    /** Zero runs at least this long become holes; shorter ones stay in the data stream. */
    static final int MIN_HOLE = 64 << 10;
    /**
     * File pieces located per image at most (about 100 bytes of memory each while imaging); past it,
     * the remaining files are chunked with the blocks around them.
     */
    static final int MAX_FILE_RUNS = 1_000_000;

    private final Repository repo;
    private final TreeStore trees;
    private final Snapshots snapshots;

    public ImageCreator(Repository repo) {
        this.repo = repo;
        this.trees = new TreeStore(repo.store());
        this.snapshots = new Snapshots(repo);
    }

    public ImageResult create(ImageSource src, ImageRequest req, ImageCounters counters, Consumer<String> warn)
            throws IOException {
        if (!Images.validName(req.name())) {
            throw new UserFacingException(ExitCode.USAGE, "'" + req.name() + "' is not a usable image name: use letters, "
                    + "digits and . _ + - (at most 128, starting with a letter or digit)");
        }
        List<String> warnings = new ArrayList<>();
        Consumer<String> warning = w -> {
            warnings.add(w);
            warn.accept(w);
        };
        Instant start = repo.clock().instant();
        String versionBefore = src.version();
        if (src.isBlockDevice()) {
            List<String> mounts = Mounts.mountPointsOf(java.nio.file.Path.of(src.describe()));
            if (!mounts.isEmpty()) {
                warning.accept(src.describe() + " is mounted (" + String.join(", ", mounts) + "): a filesystem in use may"
                        + " change while it is read; image a snapshot (LVM, btrfs) or unmount it for a consistent image");
            }
        }
        PartitionTable table = PartitionTables.read(src);
        table.problems().forEach(p -> warning.accept("partition table: " + p));
        List<ImageDescription.PartitionInfo> parts = new ArrayList<>();
        List<ByteRange> skipped = new ArrayList<>();
        List<ByteRange> fileRuns = new ArrayList<>();
        for (Partition p : table.partitions()) {
            parts.add(describe(src, p.number(), new ByteRange(p.start(), Math.min(p.length(), src.size() - p.start())),
                    p.type(), p.name(), p.guid(), req.usedOnly() && !p.isExtendedContainer(), skipped, fileRuns, warning));
        }
        ImageDescription.PartitionInfo volume = null;
        if (table.scheme().equals(PartitionTable.NONE)) {
            volume = describe(src, 0, new ByteRange(0, src.size()), "", "", "", req.usedOnly(), skipped, fileRuns, warning);
        }
        FileSegments segments = FileSegments.of(fileRuns);
        fileRuns = null;
        // The holes of a sparse image file are zeros without reading them (a VM image, a fresh mke2fs).
        List<ByteRange> notRead = new ArrayList<>(skipped);
        notRead.addAll(src.knownHoles());
        List<ByteRange> toRead = complement(ByteRange.merge(notRead), src.size());
        counters.totalBytes.set(src.size());

        PutStats before = repo.store().stats();
        ResilientReader reader = new ResilientReader(src, req.retries());
        List<ChunkRef> refs;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        try (SegmentChunker chunker = new SegmentChunker(repo.store(), threads, 64 << 20)) {
            read(reader, toRead, src.size(), segments, chunker, counters);
            refs = chunker.finish();
        }
        List<ByteRange> unreadable = reader.unreadable();
        if (!unreadable.isEmpty()) {
            long bad = unreadable.stream().mapToLong(ByteRange::length).sum();
            warning.accept(bad + " bytes in " + unreadable.size() + " range(s) could not be read and are saved as zeros"
                    + " (first: byte " + unreadable.get(0).start() + ", " + unreadable.get(0).length() + " bytes)");
            reader.errors().stream().limit(3).forEach(e -> warning.accept("read error: " + e));
        }
        boolean changed = !versionBefore.equals(src.version());
        if (changed) {
            warning.accept(src.describe() + " changed while it was read: the image may be inconsistent");
        }
        FileContent content = trees.storeContent(refs);
        if (content.size() != src.size()) {
            throw new IOException("internal error: image content covers " + content.size() + " bytes, the source has " + src.size());
        }
        Instant end = repo.clock().instant();
        Instant time = req.time() != null ? req.time() : start;
        Timestamp t = Timestamp.of(time);
        Node disk = Node.builder(ImageDescription.DISK_FILE, NodeType.FILE).mode(0600)
                .owner(ProcessIdentity.uid(), ProcessIdentity.gid(), repo.host().user(), "")
                .times(t, t, t).flags(changed ? Node.FLAG_CHANGED_WHILE_READ : 0).content(content).build();
        ChunkId root = trees.write(new Tree(List.of(disk)));
        repo.store().flush();
        PutStats after = repo.store().stats();

        ImageDescription description = new ImageDescription(req.name(), src.describe(), src.size(), table.sectorSize(),
                table.scheme(), table.diskId(), table.problems(), req.usedOnly(), parts, volume, unreadable, changed);
        String host = req.host() != null ? req.host() : repo.host().host();
        Snapshot parent = latest(req.name());
        long read = counters.bytesTransferred.get();
        SnapshotSummary summary = new SnapshotSummary(parent == null ? 1 : 0, parent == null ? 0 : 1, 0, 0, 0, 0, read,
                after.bytesNew() - before.bytesNew(), after.bytesStored() - before.bytesStored(), 1, src.size(),
                warnings.size(), changed ? 1 : 0, start, end);
        Snapshot snapshot = new Snapshot(null, SnapshotKind.IMAGE, time, host, repo.host().user(), ProcessIdentity.uid(),
                ProcessIdentity.gid(), List.of(src.describe()), req.tags(), parent == null ? null : parent.id(), root, List.of(),
                summary, description.toJson());
        Snapshot saved = snapshots.save(snapshot);
        return new ImageResult(saved, description, read, summary.bytesAdded(), summary.bytesStored(), warnings);
    }

    private Snapshot latest(String name) throws IOException {
        List<Snapshot> named = Images.named(snapshots.list(new ArrayList<>()), name);
        return named.isEmpty() ? null : named.get(named.size() - 1);
    }

    /**
     * Detects a region's filesystem and, with used-only, adds its unused ranges to {@code skipped}
     * and, when Strata can read its files, where their bytes lie to {@code fileRuns}.
     */
    private static ImageDescription.PartitionInfo describe(ImageSource src, int number, ByteRange region, String type,
                                                           String label, String guid, boolean usedOnly,
                                                           List<ByteRange> skipped, List<ByteRange> fileRuns,
                                                           Consumer<String> warning) throws IOException {
        String what = number == 0 ? "the device" : "partition " + number;
        if (region.length() <= 0) {
            return new ImageDescription.PartitionInfo(number, region.start(), 0, type, label, guid, "unknown", false, -1,
                    "lies outside the device", -1, -1, -1, -1);
        }
        FilesystemInfo fs;
        try {
            fs = Filesystems.detect(src, region, usedOnly);
        } catch (IOException e) {
            fs = new FilesystemInfo("unknown", 0, null, "its superblock cannot be read: " + e.getMessage());
        }
        boolean applied = usedOnly && fs.knowsAllocation();
        if (usedOnly && !applied && !type.equals("0x05") && !type.equals("0x0f") && !type.equals("0x85")) {
            warning.accept(what + " (" + fs.name() + "): every block is read because " + fs.reason());
        }
        if (applied) {
            long pos = 0;
            for (ByteRange u : fs.used()) {
                if (u.start() > pos) {
                    skipped.add(new ByteRange(region.start() + pos, u.start() - pos));
                }
                pos = Math.max(pos, u.end());
            }
            if (pos < region.length()) {
                skipped.add(new ByteRange(region.start() + pos, region.length() - pos));
            }
        }
        long files = -1;
        long fileBytes = -1;
        long splitFiles = -1;
        long splitFileBytes = -1;
        if (applied) {
            FileLocator.Located located = locateFiles(src, region, what, warning);
            if (located != null) {
                files = located.files();
                fileBytes = located.bytes();
                splitFiles = located.split();
                splitFileBytes = located.splitBytes();
                for (DataRun r : located.runs()) {
                    fileRuns.add(new ByteRange(region.start() + r.position(), r.length()));
                }
            }
        }
        return new ImageDescription.PartitionInfo(number, region.start(), region.length(), type, label, guid, fs.name(),
                applied, applied ? fs.usedBytes() : -1, usedOnly && !applied ? fs.reason() : "", files, fileBytes,
                splitFiles, splitFileBytes);
    }

    /**
     * Where the files of a region's filesystem keep their bytes, or null when its files cannot be
     * read (the region is then chunked as one stream, as without file awareness).
     */
    private static FileLocator.Located locateFiles(ImageSource src, ByteRange region, String what,
                                                   Consumer<String> warning) {
        try {
            FileLocator.Located located = FileLocator.locate(BrowsableFilesystems.open(new RegionSource(src, region)), MAX_FILE_RUNS);
            if (!located.problems().isEmpty()) {
                warning.accept(what + ": some files could not be located and are chunked with the blocks around them ("
                        + located.problems().get(0) + ")");
            }
            if (located.truncated()) {
                warning.accept(what + ": more than " + MAX_FILE_RUNS + " file pieces; the rest are chunked with the blocks around them");
            }
            return located;
        } catch (IOException | RuntimeException e) {
            warning.accept(what + ": its files could not be located (" + e.getMessage() + "); its blocks are chunked as one stream");
            return null;
        }
    }

    /** The parts of {@code [0, size)} not in {@code merged}. */
    static List<ByteRange> complement(List<ByteRange> merged, long size) {
        List<ByteRange> out = new ArrayList<>();
        long pos = 0;
        for (ByteRange r : merged) {
            if (r.start() > pos) {
                out.add(new ByteRange(pos, r.start() - pos));
            }
            pos = Math.max(pos, r.end());
        }
        if (pos < size) {
            out.add(new ByteRange(pos, size - pos));
        }
        return out;
    }

    /**
     * Reads the ranges in order; gaps between them (unused blocks) and long zero runs become holes.
     * The bytes of a file segment are one chunk stream of their own, zeros included, as a file
     * backup chunks the file.
     */
    private static void read(ResilientReader reader, List<ByteRange> ranges, long size, FileSegments segments,
                             SegmentChunker chunker, ImageCounters counters) throws IOException {
        byte[] block = new byte[READ_BLOCK];
        long pos = 0;
        int seg = 0;
        for (ByteRange r : ranges) {
            if (r.start() > pos) {
                chunker.hole(r.start() - pos);
                counters.bytesDone.addAndGet(r.start() - pos);
            }
            ZeroRuns zeros = new ZeroRuns(chunker);
            int current = -1;
            for (long p = r.start(); p < r.end(); ) {
                int n = (int) Math.min(READ_BLOCK, r.end() - p);
                reader.read(p, block, n);
                counters.bytesTransferred.addAndGet(n);
                int off = 0;
                while (off < n) {
                    long at = p + off;
                    seg = segments.advance(seg, at);
                    boolean inFile = segments.holds(seg, at);
                    if ((inFile ? seg : -1) != current) {
                        // A file starts or ends here: the stream before it ends, so its chunks start with it.
                        zeros.end();
                        chunker.finishStream();
                        current = inFile ? seg : -1;
                    }
                    int len = (int) Math.min(n - off, segments.nextBoundary(seg, at) - at);
                    if (inFile) {
                        chunker.data(block, off, len);
                    } else {
                        scanZeros(block, off, len, at, zeros);
                    }
                    off += len;
                }
                p += n;
                counters.bytesDone.addAndGet(n);
            }
            zeros.end();
            chunker.finishStream();
            pos = r.end();
        }
        if (size > pos) {
            chunker.hole(size - pos);
            counters.bytesDone.addAndGet(size - pos);
        }
    }

    /** Passes {@code len} bytes at {@code off} (device position {@code at}) to {@code zeros} in zero-detection units. */
    private static void scanZeros(byte[] block, int off, int len, long at, ZeroRuns zeros) throws IOException {
        for (int done = 0; done < len; ) {
            // Units end on absolute ZERO_UNIT boundaries, so holes are block-aligned.
            int unit = (int) Math.min(len - done, ZERO_UNIT - ((at + done) % ZERO_UNIT));
            if (ZeroDetector.isAllZero(block, off + done, unit)) {
                zeros.zero(unit);
            } else {
                zeros.data(block, off + done, unit);
            }
            done += unit;
        }
    }

    /** Decides, once a zero run ends, whether it was long enough to be a hole. Confined to one thread. */
    private static final class ZeroRuns {
        private final SegmentChunker chunker;
        private long pending;

        ZeroRuns(SegmentChunker chunker) {
            this.chunker = chunker;
        }

        void zero(int n) {
            pending += n;
        }

        void data(byte[] b, int off, int n) throws IOException {
            flush();
            chunker.data(b, off, n);
        }

        void end() throws IOException {
            flush();
        }

        private void flush() throws IOException {
            if (pending >= MIN_HOLE) {
                chunker.hole(pending);
            } else if (pending > 0) {
                chunker.zeros(pending);
            }
            pending = 0;
        }
    }
}
