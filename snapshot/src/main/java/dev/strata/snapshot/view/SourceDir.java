package dev.strata.snapshot.view;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.SnapshotCatalog.Named;
import dev.strata.snapshot.view.SnapshotCatalog.Source;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code snapshots/<source>/}: one folder per snapshot named by its time, and {@code latest}; with
 * very many snapshots, year and month folders instead (see {@link SnapshotPlaces}). Reads the
 * current catalog on every access, so new snapshots appear. Thread-safe.
 */
final class SourceDir extends VirtualDir {
    static final String LATEST = "latest";

    private final String sourceName;

    SourceDir(ViewContext ctx, String viewPath, String sourceName) {
        super(ctx, viewPath);
        this.sourceName = sourceName;
    }

    private Optional<Source> source(SnapshotCatalog catalog) {
        return Optional.ofNullable(catalog.sources().get(sourceName));
    }

    @Override
    protected Map<String, ViewNode> entries() throws IOException {
        Map<String, ViewNode> out = new LinkedHashMap<>();
        Optional<Source> found = source(ctx.catalog());
        if (found.isEmpty()) {
            return out;
        }
        Source source = found.get();
        if (SnapshotPlaces.grouped(ctx, source)) {
            for (Named n : source.snapshots()) {
                String year = SnapshotPlaces.year(n);
                out.computeIfAbsent(year, y -> yearDir(source, y));
            }
        } else {
            for (Named n : source.snapshots()) {
                out.put(n.name(), SnapshotRoots.of(ctx, n.snapshot()));
            }
        }
        out.put(LATEST, latest(source));
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        Optional<ViewNode> hit = find(ctx.catalog(), name);
        // A name we do not know may be a snapshot made a moment ago.
        return hit.isPresent() ? hit : find(ctx.recheckedCatalog(), name);
    }

    private Optional<ViewNode> find(SnapshotCatalog catalog, String name) throws IOException {
        Optional<Source> found = source(catalog);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Source source = found.get();
        if (name.equals(LATEST)) {
            return Optional.of(latest(source));
        }
        boolean grouped = SnapshotPlaces.grouped(ctx, source);
        for (Named n : source.snapshots()) {
            if (grouped && SnapshotPlaces.year(n).equals(name)) {
                return Optional.of(yearDir(source, name));
            }
            if (!grouped && n.name().equals(name)) {
                return Optional.of(SnapshotRoots.of(ctx, n.snapshot()));
            }
        }
        return Optional.empty();
    }

    @Override
    protected Timestamp time() {
        return source(ctx.catalog()).map(s -> Timestamp.of(newest(s).snapshot().time())).orElse(ctx.mountTime);
    }

    private ViewNode latest(Source source) {
        return new VirtualLink(ctx, childPath(LATEST), SnapshotPlaces.inSource(ctx, source, newest(source)));
    }

    private static Named newest(Source source) {
        List<Named> all = source.snapshots();
        return all.get(all.size() - 1);
    }

    private ViewNode yearDir(Source source, String year) {
        String path = childPath(year);
        return new ComputedDir(ctx, path, ctx.mountTime, () -> {
            Map<String, ViewNode> months = new LinkedHashMap<>();
            for (Named n : source.snapshots()) {
                if (SnapshotPlaces.year(n).equals(year)) {
                    String month = SnapshotPlaces.month(n);
                    months.computeIfAbsent(month, m -> monthDir(source, path + "/" + m, m));
                }
            }
            return months;
        });
    }

    private ViewNode monthDir(Source source, String path, String month) {
        return new ComputedDir(ctx, path, ctx.mountTime, () -> {
            Map<String, ViewNode> snapshots = new LinkedHashMap<>();
            for (Named n : source.snapshots()) {
                if (SnapshotPlaces.month(n).equals(month)) {
                    snapshots.put(n.name(), SnapshotRoots.of(ctx, n.snapshot()));
                }
            }
            return snapshots;
        });
    }
}
