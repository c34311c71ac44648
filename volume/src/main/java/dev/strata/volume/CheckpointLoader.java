package dev.strata.volume;

import dev.strata.core.name.NameBytes;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.VersionRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a new, empty volume state from a checkpoint's trees: the volume as it was from {@code live/}
 * (inode numbers as saved, so hard links stay hard links) and its versions from {@code history/}.
 * This is how a volume opens on a machine that lost, or never had, its local state. Stateless.
 */
final class CheckpointLoader {
    private CheckpointLoader() {
    }

    /** Which volume inode a saved entry becomes; entries given the same number are hard links. */
    private interface Numbering {
        long of(Node n) throws CorruptDataException;
    }

    static void load(TreeStore trees, ChunkId rootTree, VolumeState state) throws IOException {
        Tree root = trees.read(rootTree);
        Node live = root.find(VolumeTrees.LIVE).orElseThrow(() -> new CorruptDataException("volume checkpoint without live/"));
        Node history = root.find(VolumeTrees.HISTORY)
                .orElseThrow(() -> new CorruptDataException("volume checkpoint without history/"));
        List<VersionRecord> versions = new ArrayList<>();
        walkHistory(trees, history.subtree(), new byte[0], versions, 0);
        fill(trees, live, state, versions, n -> {
            if (n.inode() <= Inode.ROOT) {
                throw new CorruptDataException("volume checkpoint entry '" + n.name() + "' has inode " + n.inode());
            }
            return n.inode();
        });
    }

    /**
     * Fills an empty volume with the folder {@code folder} of a backup (volume import): new inode
     * numbers, entries that were hard links of each other stay so.
     */
    static void importFolder(TreeStore trees, Node folder, VolumeState state) throws IOException {
        Map<List<Long>, Long> seen = new HashMap<>();
        long[] next = {Inode.ROOT};
        fill(trees, folder, state, List.of(), n -> {
            if (!n.isDirectory() && n.links() > 1) {
                return seen.computeIfAbsent(List.of(n.device(), n.inode()), k -> ++next[0]);
            }
            return ++next[0];
        });
    }

    private static void fill(TreeStore trees, Node top, VolumeState state, List<VersionRecord> versions,
                             Numbering numbering) throws IOException {
        Map<Long, Inode> inodes = new HashMap<>();
        Map<Long, Long> links = new HashMap<>();
        List<VolumeState.Entry> entries = new ArrayList<>();
        inodes.put(Inode.ROOT, new Inode(Inode.ROOT, NodeType.DIRECTORY, top.mode(), top.uid(), top.gid(), top.atime(),
                top.mtime(), top.ctime(), 2, 0, 0, top.xattrs(), null, null, 0, new byte[0], null));
        walkLive(trees, top.subtree(), Inode.ROOT, inodes, links, entries, numbering, 0);
        List<Inode> all = new ArrayList<>();
        for (Inode n : inodes.values()) {
            long nlink = n.isDirectory() ? n.nlink() : links.getOrDefault(n.ino(), 1L);
            all.add(n.withLinks(nlink, n.ctime()));
        }
        state.load(all, entries, versions);
    }

    private static void walkLive(TreeStore trees, ChunkId tree, long parent, Map<Long, Inode> inodes,
                                 Map<Long, Long> links, List<VolumeState.Entry> entries, Numbering numbering, int depth)
            throws IOException {
        if (depth > 4096) {
            throw new CorruptDataException("volume checkpoint nested deeper than 4096 folders");
        }
        for (Node n : trees.read(tree).nodes()) {
            long ino = numbering.of(n);
            byte[] name = NameBytes.encode(n.name());
            entries.add(new VolumeState.Entry(parent, name, ino));
            if (inodes.containsKey(ino)) {
                links.merge(ino, 1L, Long::sum);
                continue;
            }
            links.put(ino, 1L);
            Inode rec = new Inode(ino, n.type(), n.mode(), n.uid(), n.gid(), n.atime(), n.mtime(), n.ctime(),
                    n.isDirectory() ? 2 : 1, n.rdev(), n.size(), n.xattrs(), n.isFile() ? n.content() : null,
                    n.type() == NodeType.SYMLINK ? n.linkTarget() : null, parent, name, null);
            inodes.put(ino, rec);
            if (n.isDirectory()) {
                Inode p = inodes.get(parent);
                inodes.put(parent, p.withLinks(p.nlink() + 1, p.ctime()));
                walkLive(trees, n.subtree(), ino, inodes, links, entries, numbering, depth + 1);
            }
        }
    }

    private static void walkHistory(TreeStore trees, ChunkId tree, byte[] path, List<VersionRecord> out, int depth)
            throws IOException {
        if (depth > 4096) {
            throw new CorruptDataException("volume history nested deeper than 4096 folders");
        }
        for (Node n : trees.read(tree).nodes()) {
            if (n.isDirectory()) {
                byte[] name = NameBytes.encode(n.name());
                byte[] below = path.length == 0 ? name : concat(path, name);
                walkHistory(trees, n.subtree(), below, out, depth + 1);
            } else if (n.isFile() && path.length > 0) {
                out.add(new VersionRecord(path, n.ctime(), n.inode(), 0, n.content(), n.mtime(), n.mode()));
            }
        }
    }

    private static byte[] concat(byte[] folder, byte[] name) {
        byte[] out = new byte[folder.length + 1 + name.length];
        System.arraycopy(folder, 0, out, 0, folder.length);
        out[folder.length] = '/';
        System.arraycopy(name, 0, out, folder.length + 1, name.length);
        return out;
    }
}
