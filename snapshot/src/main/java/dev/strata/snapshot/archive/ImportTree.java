package dev.strata.snapshot.archive;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.TreeCodec;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The folders and entries of an archive being imported, kept until the archive ends (a tar may name a
 * folder's entries anywhere in it) in a table of the repository's cache, not on the heap, then written
 * as trees, deepest first. Holds metadata and chunk references only, never content; memory stays
 * bounded whatever the number of entries. Each folder has an id, and its entries are keyed by that id
 * and their name, so the table lists a folder's entries in tree order. A later entry of a path
 * replaces an earlier one, as tar does: a file replacing a folder leaves the folder's entries behind,
 * unreachable. Hard links share one inode number; their link count is known at the end. Confined to one
 * thread.
 */
final class ImportTree implements AutoCloseable {
    /** The longest name kept (in bytes): keys of the table are limited, and no filesystem has longer names. */
    static final int MAX_NAME_BYTES = 500;
    private static final long ROOT = 0;
    private static final byte ENTRY = 'e';
    private static final byte LINKS = 'l';
    /** Entries read from the table at a time while the trees are written. */
    private static final int READ_BATCH = 256;
    /** Stands for a folder's tree until it is written. */
    private static final ChunkId NO_TREE_YET = ChunkId.of(new byte[ChunkId.LENGTH]);

    private final ImportTable table;
    private final Node defaultDir;
    private long nextInode = 1;
    private long nextFolder = ROOT + 1;
    private boolean linked;
    private long folders;
    /**
     * The folder resolved last, and the ids along it ({@code ids[0]} is the root's): an archive names a
     * folder's entries together, so most entries resolve their folder without reading the table.
     */
    private final List<String> lastPath = new ArrayList<>();
    private final List<Long> lastIds = new ArrayList<>(List.of(ROOT));

    /** {@code defaultDir} gives the metadata of folders the archive holds entries of but no entry for. */
    ImportTree(LmdbEnvironment lmdb, Node.Builder defaultDir) {
        this.defaultDir = defaultDir.subtree(NO_TREE_YET).build();
        this.table = new ImportTable(lmdb);
    }

    /** Whether every name of {@code path} is short enough to keep. */
    static boolean fits(List<String> path) {
        for (String name : path) {
            if (NameBytes.encode(name).length > MAX_NAME_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** A folder's metadata (its contents stay as they are). */
    void directory(List<String> path, Node.Builder meta) {
        if (path.isEmpty()) {
            return; // the archive's own root: a snapshot's root folder has no metadata
        }
        byte[] key = key(folderId(parentOf(path), true), last(path));
        ImportEntry old = entry(key);
        long id = old != null && old.isFolder() ? old.folderId() : nextFolder++;
        table.put(key, ImportEntry.folder(id, meta.subtree(NO_TREE_YET).build()).encode());
    }

    /** A file, symlink or special file; a later entry of the same path replaces an earlier one, as tar does. */
    void leaf(List<String> path, Node node) {
        String name = last(path);
        Node withInode = new Node(name, node.type(), node.mode(), node.uid(), node.gid(), node.user(), node.group(),
                node.atime(), node.mtime(), node.ctime(), nextInode++, 0, 1, node.rdev(), node.size(), node.xattrs(),
                node.content(), node.subtree(), node.linkTarget(), node.flags());
        putLeaf(path, withInode);
    }

    /** Another name for the file at {@code target}; false if there is no file there. */
    boolean hardLink(List<String> path, List<String> target) {
        if (target.isEmpty() || !fits(target)) {
            return false;
        }
        long folder = folderId(parentOf(target), false);
        ImportEntry first = folder < 0 ? null : entry(key(folder, last(target)));
        if (first == null || first.isFolder() || first.node().type() != NodeType.FILE) {
            return false;
        }
        putLeaf(path, first.node().withName(last(path)));
        byte[] key = ByteBuffer.allocate(1 + Long.BYTES).put(LINKS).putLong(first.node().inode()).array();
        byte[] count = table.get(key);
        table.put(key, ByteBuffer.allocate(Long.BYTES).putLong(count == null ? 2 : ByteBuffer.wrap(count).getLong() + 1).array());
        linked = true;
        return true;
    }

    /** Writes every folder's tree; returns the root's. */
    ChunkId write(TreeStore trees) throws IOException {
        folders = 0;
        return write(trees, ROOT);
    }

    /** Folders written, the root not counted. */
    long folders() {
        return folders;
    }

    /** Drops the working table. Idempotent. */
    @Override
    public void close() {
        table.close();
    }

    private ChunkId write(TreeStore trees, long folder) throws IOException {
        TreeCodec.Encoder tree = new TreeCodec.Encoder();
        byte[] prefix = folderPrefix(folder);
        byte[] from = prefix;
        List<Map.Entry<byte[], byte[]>> batch;
        do {
            // A batch at a time, and no transaction open while trees are stored: the store writes its index
            // in the same environment.
            batch = table.read(prefix, from, READ_BATCH);
            for (Map.Entry<byte[], byte[]> kv : batch) {
                String name = NameBytes.decode(kv.getKey(), prefix.length, kv.getKey().length - prefix.length);
                ImportEntry e = ImportEntry.decode(kv.getValue());
                if (e.isFolder()) {
                    ChunkId sub = write(trees, e.folderId());
                    tree.add((e.node() != null ? e.node() : defaultDir).withName(name).withSubtree(sub));
                    folders++;
                } else {
                    tree.add(withLinkCount(e.node()));
                }
            }
            if (!batch.isEmpty()) {
                byte[] lastKey = batch.get(batch.size() - 1).getKey();
                from = Arrays.copyOf(lastKey, lastKey.length + 1); // the least key after it
            }
        } while (batch.size() == READ_BATCH);
        return trees.writeEncoded(tree.finish());
    }

    private Node withLinkCount(Node n) {
        if (!linked || n.type() != NodeType.FILE) {
            return n;
        }
        byte[] count = table.get(ByteBuffer.allocate(1 + Long.BYTES).put(LINKS).putLong(n.inode()).array());
        return count == null ? n : new Node(n.name(), n.type(), n.mode(), n.uid(), n.gid(), n.user(), n.group(),
                n.atime(), n.mtime(), n.ctime(), n.inode(), n.device(), ByteBuffer.wrap(count).getLong(), n.rdev(), n.size(),
                n.xattrs(), n.content(), n.subtree(), n.linkTarget(), n.flags());
    }

    private void putLeaf(List<String> path, Node node) {
        // The remembered path is now this entry's folder, so a folder this entry replaces is never on it.
        table.put(key(folderId(parentOf(path), true), last(path)), ImportEntry.leaf(node).encode());
    }

    /**
     * The id of the folder at {@code path}; with {@code create}, folders that are missing, or files in
     * the way, become folders without metadata (as tar makes them), else -1 if one is not a folder.
     */
    private long folderId(List<String> path, boolean create) {
        int same = 0;
        while (same < path.size() && same < lastPath.size() && path.get(same).equals(lastPath.get(same))) {
            same++;
        }
        truncateLast(same);
        for (int i = same; i < path.size(); i++) {
            byte[] key = key(lastIds.get(i), path.get(i));
            ImportEntry e = entry(key);
            long id;
            if (e != null && e.isFolder()) {
                id = e.folderId();
            } else if (!create) {
                return -1;
            } else {
                id = nextFolder++;
                table.put(key, ImportEntry.folder(id, null).encode());
            }
            lastPath.add(path.get(i));
            lastIds.add(id);
        }
        return lastIds.get(path.size());
    }

    private void truncateLast(int size) {
        lastPath.subList(size, lastPath.size()).clear();
        lastIds.subList(size + 1, lastIds.size()).clear();
    }

    private ImportEntry entry(byte[] key) {
        byte[] v = table.get(key);
        return v == null ? null : ImportEntry.decode(v);
    }

    private static byte[] folderPrefix(long folder) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(ENTRY).putLong(folder).array();
    }

    private static byte[] key(long folder, String name) {
        byte[] n = NameBytes.encode(name);
        if (n.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a name of " + n.length + " bytes, more than the import keeps");
        }
        return ByteBuffer.allocate(1 + Long.BYTES + n.length).put(ENTRY).putLong(folder).put(n).array();
    }

    private static List<String> parentOf(List<String> path) {
        return path.subList(0, path.size() - 1);
    }

    private static String last(List<String> path) {
        return path.get(path.size() - 1);
    }
}
