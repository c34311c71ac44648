package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.SnapshotCatalog.Named;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One folder of the versions tree: the union of that folder in every snapshot that had it.
 * Sub-folders are version folders again; a file (or symlink, or special file) is a
 * {@link FileVersions} folder of its distinct contents.
 *
 * <p>Unchanged folders are one tree object shared by many snapshots, so the folder reads each
 * distinct tree once, however many snapshots there are. A name that was a folder in some snapshots
 * and a file in others shows as the folder. Thread-safe; the occurrences are computed once.
 */
final class VersionFolder extends VirtualDir {
    /** The folder as saved in one snapshot: the first snapshot that had exactly this tree. */
    record Seen(Named snapshot, ChunkId tree) {
    }

    /** A name's entry as saved in one snapshot. */
    record SeenNode(Named snapshot, Node node) {
    }

    interface Occurrences {
        List<Seen> get() throws IOException;
    }

    private final Occurrences source;
    private volatile List<Seen> distinct;

    VersionFolder(ViewContext ctx, String viewPath, Occurrences source) {
        super(ctx, viewPath);
        this.source = source;
    }

    /** Each distinct tree of this folder once, with the first snapshot that had it, oldest first. */
    private List<Seen> distinct() throws IOException {
        List<Seen> d = distinct;
        if (d == null) {
            Map<ChunkId, Seen> first = new LinkedHashMap<>();
            for (Seen s : source.get()) {
                first.putIfAbsent(s.tree(), s);
            }
            d = List.copyOf(first.values());
            distinct = d;
        }
        return d;
    }

    @Override
    protected Map<String, ViewNode> entries() throws IOException {
        Map<String, List<SeenNode>> byName = new TreeMap<>();
        for (Seen s : distinct()) {
            Tree t = ctx.trees.read(s.tree());
            for (Node n : t.nodes()) {
                byName.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(new SeenNode(s.snapshot(), n));
            }
        }
        Map<String, ViewNode> out = new LinkedHashMap<>();
        byName.forEach((name, seen) -> out.put(name, node(name, seen)));
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        List<SeenNode> seen = new ArrayList<>();
        for (Seen s : distinct()) {
            ctx.trees.read(s.tree()).find(name).ifPresent(n -> seen.add(new SeenNode(s.snapshot(), n)));
        }
        return seen.isEmpty() ? Optional.empty() : Optional.of(node(name, seen));
    }

    @Override
    protected Timestamp time() {
        try {
            List<Seen> d = distinct();
            return d.isEmpty() ? ctx.mountTime : Timestamp.of(d.get(d.size() - 1).snapshot().snapshot().time());
        } catch (IOException e) {
            return ctx.mountTime;
        }
    }

    private ViewNode node(String name, List<SeenNode> seen) {
        String path = childPath(name);
        List<Seen> folders = new ArrayList<>();
        for (SeenNode s : seen) {
            if (s.node().isDirectory()) {
                folders.add(new Seen(s.snapshot(), s.node().subtree()));
            }
        }
        if (!folders.isEmpty()) {
            return new VersionFolder(ctx, path, () -> folders);
        }
        return new FileVersions(ctx, path, name, seen);
    }
}
