package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.SnapshotCatalog.Named;
import dev.strata.snapshot.view.SnapshotCatalog.Source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code versions/}: per source, one folder tree that is the union of all its snapshots, in which
 * every file is a folder of its distinct contents. Built lazily from the tree objects when a folder
 * is looked at; nothing is read up front. Thread-safe.
 */
public final class VersionsDir extends VirtualDir {
    /** Folders of {@code versions/} that other views supply, by name. */
    public interface Extra {
        Map<String, ViewNode> get();
    }

    private final Extra extra;

    VersionsDir(ViewContext ctx, String viewPath, Extra extra) {
        super(ctx, viewPath);
        this.extra = extra;
    }

    @Override
    protected Map<String, ViewNode> entries() {
        Map<String, ViewNode> out = new LinkedHashMap<>();
        for (Source source : ctx.catalog().sources().values()) {
            out.put(source.name(), folder(source));
        }
        extra.get().forEach(out::putIfAbsent);
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) {
        ViewNode more = extra.get().get(name);
        if (more != null) {
            return Optional.of(more);
        }
        Source source = ctx.catalog().sources().get(name);
        if (source == null) {
            source = ctx.recheckedCatalog().sources().get(name);
        }
        return Optional.ofNullable(source).map(this::folder);
    }

    private ViewNode folder(Source source) {
        return new VersionFolder(ctx, childPath(source.name()), () -> {
            List<VersionFolder.Seen> roots = new ArrayList<>(source.snapshots().size());
            for (Named n : source.snapshots()) {
                ChunkId tree = SnapshotRoots.rootTree(ctx, n.snapshot());
                roots.add(new VersionFolder.Seen(n, tree));
            }
            return roots;
        });
    }
}
