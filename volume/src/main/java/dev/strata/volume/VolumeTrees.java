package dev.strata.volume;

import dev.strata.core.name.NameBytes;
import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.view.SourceNames;
import dev.strata.snapshot.view.VersionNames;
import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.VersionRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The trees of a volume checkpoint (docs/format.md, volume checkpoints): a root with {@code live/},
 * the volume as it is, and {@code history/}, every kept version as a file
 * {@code history/<path…>/<file>/<time><.ext>} whose ctime is the moment it was saved and whose inode
 * field is its sequence number. Both are ordinary trees, so prune, check and restore need nothing new.
 * Stateless.
 */
public final class VolumeTrees {
    public static final String LIVE = "live";
    public static final String HISTORY = "history";

    private VolumeTrees() {
    }

    /**
     * The root tree holding {@code history} and {@code live}; {@code liveRoot} gives {@code live} the
     * metadata of the volume's root folder (null: a new, empty volume's).
     */
    public static ChunkId root(TreeStore trees, ChunkId live, ChunkId history, Inode liveRoot) throws IOException {
        Timestamp epoch = Timestamp.EPOCH;
        Node.Builder l = Node.builder(LIVE, NodeType.DIRECTORY).subtree(live);
        if (liveRoot == null) {
            l.mode(0755).times(epoch, epoch, epoch);
        } else {
            l.mode(liveRoot.mode()).owner(liveRoot.uid(), liveRoot.gid(), "", "")
                    .times(liveRoot.atime(), liveRoot.mtime(), liveRoot.ctime()).xattrs(liveRoot.xattrs());
        }
        List<Node> nodes = List.of(
                Node.builder(HISTORY, NodeType.DIRECTORY).mode(0555).times(epoch, epoch, epoch).subtree(history).build(),
                l.build());
        ChunkId root = trees.write(new Tree(nodes));
        CrashPoints.reached(CrashPoints.CHECKPOINT_TREES);
        return root;
    }

    /** The tree of the volume as {@code capture} saw it, from the root folder down. */
    public static ChunkId live(TreeStore trees, VolumeState.Capture capture) throws IOException {
        return folder(trees, capture, Inode.ROOT, 0);
    }

    private static ChunkId folder(TreeStore trees, VolumeState.Capture capture, long ino, int depth) throws IOException {
        if (depth > 4096) {
            throw new IOException("volume folders nested deeper than 4096");
        }
        List<Node> nodes = new ArrayList<>();
        for (VolumeState.Child c : capture.children().getOrDefault(ino, List.of())) {
            Inode n = c.inode();
            Node.Builder b = Node.builder(name(c.name()), n.type()).mode(n.mode()).owner(n.uid(), n.gid(), "", "")
                    .times(n.atime(), n.mtime(), n.ctime()).identity(n.ino(), 0, n.nlink()).xattrs(n.xattrs());
            switch (n.type()) {
                case FILE -> b.content(n.content());
                case DIRECTORY -> b.subtree(folder(trees, capture, n.ino(), depth + 1));
                case SYMLINK -> b.linkTarget(n.target());
                default -> b.rdev(n.rdev());
            }
            nodes.add(b.build());
        }
        nodes.sort((x, y) -> dev.strata.core.tree.Names.ORDER.compare(x.name(), y.name()));
        return trees.write(new Tree(nodes));
    }

    /** The tree of the kept versions, folder by folder. */
    public static ChunkId history(TreeStore trees, List<VersionRecord> versions) throws IOException {
        Folder root = new Folder();
        for (VersionRecord v : versions) {
            Folder f = root;
            for (String p : components(v.path())) {
                f = f.folders.computeIfAbsent(p, k -> new Folder());
            }
            f.versions.add(v);
        }
        return write(trees, root, 0);
    }

    private static final class Folder {
        final Map<String, Folder> folders = new TreeMap<>(NameBytes::compare);
        final List<VersionRecord> versions = new ArrayList<>();
    }

    private static ChunkId write(TreeStore trees, Folder folder, int depth) throws IOException {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, Folder> e : folder.folders.entrySet()) {
            Folder child = e.getValue();
            ChunkId sub = write(trees, child, depth + 1);
            nodes.put(e.getKey(), Node.builder(e.getKey(), NodeType.DIRECTORY).mode(0555)
                    .times(Timestamp.EPOCH, Timestamp.EPOCH, Timestamp.EPOCH).subtree(sub).build());
        }
        if (!folder.versions.isEmpty()) {
            // This folder is a file's versions folder: its versions sit beside any sub-folders.
            String ext = "";
            Set<String> taken = new HashSet<>(nodes.keySet());
            for (VersionRecord v : folder.versions) {
                List<String> parts = components(v.path());
                ext = VersionNames.extension(parts.get(parts.size() - 1));
                String name = VersionNames.unique(SourceNames.time(v.saved().toInstant()), ext, taken);
                taken.add(name);
                nodes.put(name, Node.builder(name, NodeType.FILE).mode(v.mode()).times(v.saved(), v.mtime(), v.saved())
                        .identity(v.seq(), 0, 1).content(v.content()).build());
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.values());
        sorted.sort((x, y) -> dev.strata.core.tree.Names.ORDER.compare(x.name(), y.name()));
        return trees.write(new Tree(sorted));
    }

    private static String name(byte[] b) {
        return NameBytes.decode(b);
    }

    /** The names along a path of bytes ({@code a/b.txt}), each one-to-one as {@link NameBytes} maps it. */
    static List<String> components(byte[] path) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                out.add(NameBytes.decode(java.util.Arrays.copyOfRange(path, start, i)));
                start = i + 1;
            }
        }
        return out;
    }
}
