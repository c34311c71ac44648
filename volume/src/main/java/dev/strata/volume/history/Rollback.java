package dev.strata.volume.history;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.VersionRecord;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts a volume back as it was at a moment: the newest checkpoint at or before it, with the versions
 * saved between that checkpoint and the moment on top. Files that differ get their old content as a
 * new version, missing ones come back, ones made later go (their versions stay in the history), so
 * a rollback can itself be rolled back and nothing is lost. Confined to one thread; the volume must
 * not be mounted.
 */
public final class Rollback {
    private final VolumeState state;
    private final TreeStore trees;
    private final Clock clock;
    private final Map<Long, Long> linked = new HashMap<>();
    private int restored;
    private int removed;

    public Rollback(VolumeState state, TreeStore trees, Clock clock) {
        this.state = state;
        this.trees = trees;
        this.clock = clock;
    }

    /** What a rollback changed. */
    public record Result(int filesRestored, int entriesRemoved) {
    }

    /**
     * Rolls back to {@code moment}, given the live tree of the newest checkpoint at or before it
     * ({@code checkpointLive}, a folder node) taken at {@code checkpointTime}.
     */
    public Result run(Node checkpointLive, Instant checkpointTime, Instant moment) throws IOException {
        Target root = Target.of(trees, checkpointLive);
        long from = nanos(checkpointTime);
        long to = nanos(moment);
        Map<String, VersionRecord> newest = new TreeMap<>();
        for (VersionRecord v : state.allVersions()) {
            long t = v.savedNanos();
            if (t > from && t <= to) {
                newest.merge(NameBytes.decode(v.path()), v, (a, b) -> a.savedNanos() >= b.savedNanos() ? a : b);
            }
        }
        for (VersionRecord v : newest.values()) {
            root.overlay(v);
        }
        apply(Inode.ROOT, root);
        state.commit();
        return new Result(restored, removed);
    }

    private void apply(long folder, Target target) throws IOException {
        Map<String, VolumeState.Child> current = new HashMap<>();
        for (VolumeState.Child c : state.list(folder)) {
            current.put(NameBytes.decode(c.name()), c);
        }
        for (Map.Entry<String, VolumeState.Child> e : current.entrySet()) {
            Target t = target.children.get(e.getKey());
            if (t == null || t.type() != e.getValue().inode().type()) {
                removeTree(folder, e.getValue());
            }
        }
        for (Map.Entry<String, Target> e : target.children.entrySet()) {
            byte[] name = NameBytes.encode(e.getKey());
            Target t = e.getValue();
            Optional<Inode> existing = state.lookup(folder, name);
            Inode n = existing.filter(i -> i.type() == t.type()).orElse(null);
            if (n == null) {
                n = make(folder, name, t);
            } else if (t.type() == NodeType.FILE && !n.content().equals(t.content())) {
                n = setContent(n, t);
            } else if (t.type() == NodeType.SYMLINK && !java.util.Arrays.equals(n.target(), t.node.linkTarget())) {
                removeTree(folder, new VolumeState.Child(name, n));
                n = make(folder, name, t);
            }
            if (t.type() == NodeType.DIRECTORY) {
                apply(n.ino(), t);
            }
            Node saved = t.node;
            Timestamp mtime = t.mtime();
            state.update(n.ino(), i -> i.withMode(saved.mode(), now()).withOwner(saved.uid(), saved.gid(), now())
                    .withTimes(saved.atime(), mtime, now()).withXattrs(saved.xattrs(), now()));
        }
    }

    private Inode make(long folder, byte[] name, Target t) throws IOException {
        Node saved = t.node;
        if (t.type() != NodeType.DIRECTORY && saved.links() > 1 && linked.containsKey(saved.inode())) {
            return state.link(linked.get(saved.inode()), folder, name);
        }
        Inode n = state.create(folder, name, t.type(), saved.mode(), saved.uid(), saved.gid(), saved.rdev(),
                t.type() == NodeType.SYMLINK ? saved.linkTarget() : null);
        if (t.type() != NodeType.DIRECTORY && saved.links() > 1) {
            linked.put(saved.inode(), n.ino());
        }
        if (t.type() == NodeType.FILE && t.content().size() > 0) {
            n = setContent(n, t);
        }
        return n;
    }

    private Inode setContent(Inode n, Target t) throws IOException {
        Timestamp now = now();
        FileContent content = t.content();
        Inode changed = state.update(n.ino(), i -> i.withContent(content, t.mtime(), now));
        state.addVersion(new VersionRecord(state.path(n.ino()), now, state.nextSeq(), n.ino(), content, t.mtime(),
                t.node.mode()));
        restored++;
        return changed;
    }

    private void removeTree(long folder, VolumeState.Child c) throws IOException {
        if (c.inode().isDirectory()) {
            for (VolumeState.Child below : state.list(c.inode().ino())) {
                removeTree(c.inode().ino(), below);
            }
        }
        state.remove(folder, c.name(), c.inode().isDirectory(), ino -> false);
        removed++;
    }

    private Timestamp now() {
        return Timestamp.of(clock.instant());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The volume as it should be: a saved node, with its children read from the checkpoint when asked. */
    private static final class Target {
        final Node node;
        final Map<String, Target> children = new TreeMap<>(NameBytes::compare);
        private VersionRecord newer;

        private Target(Node node) {
            this.node = node;
        }

        static Target of(TreeStore trees, Node folder) throws IOException {
            return read(trees, folder, 0);
        }

        private static Target read(TreeStore trees, Node node, int depth) throws IOException {
            if (depth > 4096) {
                throw new CorruptDataException("volume checkpoint nested deeper than 4096 folders");
            }
            Target t = new Target(node);
            if (node.isDirectory()) {
                Tree tree = trees.read(node.subtree());
                for (Node child : tree.nodes()) {
                    t.children.put(child.name(), read(trees, child, depth + 1));
                }
            }
            return t;
        }

        NodeType type() {
            return newer != null ? NodeType.FILE : node.type();
        }

        FileContent content() {
            return newer != null ? newer.content() : node.content();
        }

        Timestamp mtime() {
            return newer != null ? newer.mtime() : node.mtime();
        }

        /** A version saved after the checkpoint and not after the moment: the file had that content then. */
        void overlay(VersionRecord v) {
            List<String> parts = new ArrayList<>();
            int start = 0;
            byte[] path = v.path();
            for (int i = 0; i <= path.length; i++) {
                if (i == path.length || path[i] == '/') {
                    parts.add(NameBytes.decode(java.util.Arrays.copyOfRange(path, start, i)));
                    start = i + 1;
                }
            }
            Target at = this;
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                boolean last = i == parts.size() - 1;
                Target next = at.children.get(part);
                if (next == null) {
                    Timestamp saved = v.saved();
                    Node made = last
                            ? Node.builder(part, NodeType.FILE).mode(v.mode()).times(saved, v.mtime(), saved)
                                    .content(v.content()).build()
                            : Node.builder(part, NodeType.DIRECTORY).mode(0755).times(saved, saved, saved)
                                    .subtree(dev.strata.core.id.ChunkId.of(new byte[32])).build();
                    next = new Target(made);
                    at.children.put(part, next);
                }
                if (last) {
                    if (next.type() == NodeType.FILE || next.node.type() == NodeType.FILE) {
                        next.newer = v;
                    }
                } else if (next.type() != NodeType.DIRECTORY) {
                    return; // a file then, a folder now: the checkpoint's file stands
                }
                at = next;
            }
        }
    }
}
