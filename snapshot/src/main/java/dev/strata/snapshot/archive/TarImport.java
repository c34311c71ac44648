package dev.strata.snapshot.archive;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.name.Printable;
import dev.strata.core.posix.ProcessIdentity;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.PutStats;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.tree.Xattr;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Saves a tarball as a new snapshot, as a backup of the tree it holds: contents go through the chunk
 * store as they are read (deduplicated like any backup; memory does not grow with their size),
 * metadata comes from the headers (PAX nanosecond times, owners, {@code SCHILY.xattr} and
 * {@code LIBARCHIVE.xattr} xattrs, hard links, symlinks, FIFOs, devices; sparse entries are read as
 * their full content, whose zero runs become holes). gzip, bzip2, xz and zstd compression is
 * recognised. Entries that cannot be saved (a ".." in the path, a link to nothing) are listed and
 * left out. Confined to one thread.
 */
public final class TarImport {
    private final Repository repo;
    private final TreeStore trees;

    public TarImport(Repository repo) {
        this.repo = repo;
        this.trees = new TreeStore(repo.store());
    }

    /**
     * Reads the archive from {@code in} (not closed) and saves it as a snapshot whose root is the
     * archive's top level. {@code progress} hears the content bytes read.
     */
    public ImportResult run(InputStream in, List<String> tags, String host, Instant time, LongConsumer progress)
            throws IOException {
        Instant start = repo.clock().instant();
        PutStats before = repo.store().stats();
        Timestamp now = Timestamp.of(start);
        Node.Builder defaultDir = Node.builder("folder", NodeType.DIRECTORY).mode(0755)
                .owner(ProcessIdentity.uid(), ProcessIdentity.gid(), "", "").times(now, now, now);
        LeftOut warnings = new LeftOut();
        long files = 0;
        long bytes = 0;
        ChunkId root;
        long folders;
        try (ImportTree tree = new ImportTree(repo.lmdb(), defaultDir)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(in), StandardCharsets.UTF_8.name());
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                List<String> path = components(e.getName());
                if (path == null) {
                    warnings.add(Printable.of(e.getName()) + ": left out, not a path inside the archive");
                    continue;
                }
                if (!ImportTree.fits(path)) {
                    warnings.add(Printable.of(e.getName()) + ": left out, a name longer than " + ImportTree.MAX_NAME_BYTES + " bytes");
                    continue;
                }
                if (e.isDirectory()) {
                    tree.directory(path, metadata(e, NodeType.DIRECTORY, path));
                } else if (path.isEmpty()) {
                    warnings.add(Printable.of(e.getName()) + ": left out, not a path inside the archive");
                } else if (e.isLink()) {
                    List<String> target = components(e.getLinkName());
                    if (target == null || !tree.hardLink(path, target)) {
                        warnings.add(Printable.of(e.getName()) + ": left out, a hard link to " + Printable.of(e.getLinkName())
                                + ", which is not a file before it in the archive");
                    }
                } else if (e.isSymbolicLink()) {
                    byte[] target = e.getLinkName().getBytes(StandardCharsets.UTF_8);
                    if (target.length == 0) {
                        warnings.add(Printable.of(e.getName()) + ": left out, a symlink to nothing");
                        continue;
                    }
                    tree.leaf(path, metadata(e, NodeType.SYMLINK, path).linkTarget(target).build());
                } else if (e.isFIFO() || e.isCharacterDevice() || e.isBlockDevice()) {
                    NodeType type = e.isFIFO() ? NodeType.FIFO : e.isCharacterDevice() ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE;
                    tree.leaf(path, metadata(e, type, path)
                            .rdev(type == NodeType.FIFO ? 0 : DeviceNumbers.makedev(e.getDevMajor(), e.getDevMinor())).build());
                } else if (e.isFile() || e.isGNUSparse()) {
                    List<ChunkRef> refs = repo.store().putStream(Channels.newChannel(tar), e.getRealSize(), progress);
                    FileContent content = trees.storeContent(ChunkRef.mergeHoles(refs));
                    tree.leaf(path, metadata(e, NodeType.FILE, path).content(content).build());
                    files++;
                    bytes += content.size();
                } else {
                    warnings.add(Printable.of(e.getName()) + ": left out, an entry of a type Strata does not save ('"
                            + (char) e.getLinkFlag() + "')");
                }
            }
            root = tree.write(trees);
            folders = tree.folders();
        }
        repo.store().flush();
        PutStats after = repo.store().stats();
        Instant end = repo.clock().instant();
        SnapshotSummary summary = new SnapshotSummary(files, 0, 0, folders, 0, 0, bytes,
                after.bytesNew() - before.bytesNew(), after.bytesStored() - before.bytesStored(), files, bytes,
                warnings.count(), 0, start, end);
        Snapshot snapshot = new Snapshot(null, SnapshotKind.BACKUP, time != null ? time : start,
                host != null ? host : repo.host().host(), repo.host().user(), ProcessIdentity.uid(), ProcessIdentity.gid(),
                List.of("/"), tags, null, root, List.of(), summary, null);
        return new ImportResult(new Snapshots(repo).save(snapshot), warnings.count(), warnings.listed());
    }

    /** The archive itself, or what its compression hides. */
    private static InputStream decompressed(InputStream in) throws IOException {
        InputStream buffered = new BufferedInputStream(in, 1 << 16);
        String kind;
        try {
            kind = CompressorStreamFactory.detect(buffered);
        } catch (CompressorException notCompressed) {
            return buffered;
        }
        try {
            return new CompressorStreamFactory().createCompressorInputStream(kind, buffered);
        } catch (CompressorException e) {
            throw new UserFacingException(ExitCode.FAILURE, "cannot read the archive's " + kind + " compression: " + e.getMessage());
        }
    }

    /** The names of an entry's path, "./" and leading slashes dropped; null if it leaves the archive or holds an unsafe name. */
    static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || !Names.isSafe(part)) {
                return null;
            }
            out.add(part);
        }
        return out;
    }

    private static Node.Builder metadata(TarArchiveEntry e, NodeType type, List<String> path) {
        Timestamp mtime = time(e.getLastModifiedTime(), Timestamp.EPOCH);
        Node.Builder b = Node.builder(path.isEmpty() ? "root" : path.get(path.size() - 1), type)
                .mode(e.getMode() & 07777)
                .owner(e.getLongUserId(), e.getLongGroupId(), e.getUserName(), e.getGroupName())
                .times(time(e.getLastAccessTime(), mtime), mtime, time(e.getStatusChangeTime(), mtime));
        List<Xattr> xattrs = xattrs(e.getExtraPaxHeaders());
        if (!xattrs.isEmpty()) {
            b.xattrs(xattrs);
        }
        return b;
    }

    private static Timestamp time(FileTime t, Timestamp fallback) {
        return t == null ? fallback : Timestamp.of(t.toInstant());
    }

    /**
     * The xattrs in an entry's PAX headers. A LIBARCHIVE one (base64, exact) wins over the SCHILY
     * one of the same name, whose value Commons Compress has read as UTF-8 text.
     */
    static List<Xattr> xattrs(Map<String, String> headers) {
        Map<String, byte[]> byName = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().startsWith(XattrHeaders.SCHILY)) {
                byName.putIfAbsent(h.getKey().substring(XattrHeaders.SCHILY.length()), h.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().startsWith(XattrHeaders.LIBARCHIVE)) {
                try {
                    byName.put(XattrHeaders.unescapeName(h.getKey().substring(XattrHeaders.LIBARCHIVE.length())),
                            Base64.getDecoder().decode(h.getValue().strip()));
                } catch (IllegalArgumentException badBase64) {
                    // Not libarchive's encoding: the SCHILY value, if any, stands.
                }
            }
        }
        List<Xattr> out = new ArrayList<>();
        byName.forEach((name, value) -> {
            if (!name.isEmpty()) {
                out.add(new Xattr(name, value));
            }
        });
        return out;
    }
}
