package dev.strata.snapshot.view;

import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.view.SnapshotCatalog.Named;
import dev.strata.snapshot.view.SnapshotCatalog.Source;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other ways into {@code snapshots/}, all made of relative symlinks so they stay valid wherever
 * the repository is mounted: {@code hosts/<host>/<source>}, {@code tags/<tag>/<source>/<time>} and
 * {@code ids/<short-id>}. Stateless.
 */
final class IndexDirs {
    static final String HOSTS = "hosts";
    static final String TAGS = "tags";
    static final String IDS = "ids";

    private IndexDirs() {
    }

    static ViewNode hosts(ViewContext ctx) {
        String root = "/" + HOSTS;
        return new ComputedDir(ctx, root, ctx.mountTime, () -> {
            Map<String, Map<String, ViewNode>> byHost = new TreeMap<>();
            for (Source source : ctx.catalog().sources().values()) {
                String host = SourceNames.safe(source.snapshots().get(0).snapshot().host());
                String path = root + "/" + host + "/" + source.name();
                byHost.computeIfAbsent(host, h -> new TreeMap<>()).put(source.name(),
                        new VirtualLink(ctx, path, SnapshotPlaces.up(2) + MountRoot.SNAPSHOTS + "/" + source.name()));
            }
            Map<String, ViewNode> out = new LinkedHashMap<>();
            byHost.forEach((host, links) -> out.put(host, new ComputedDir(ctx, root + "/" + host, ctx.mountTime, () -> links)));
            return out;
        });
    }

    static ViewNode tags(ViewContext ctx) {
        String root = "/" + TAGS;
        return new ComputedDir(ctx, root, ctx.mountTime, () -> {
            Map<String, Map<String, Map<String, ViewNode>>> byTag = new TreeMap<>();
            for (Source source : ctx.catalog().sources().values()) {
                for (Named n : source.snapshots()) {
                    for (String tag : n.snapshot().tags()) {
                        String safeTag = SourceNames.safe(tag);
                        String path = root + "/" + safeTag + "/" + source.name() + "/" + n.name();
                        byTag.computeIfAbsent(safeTag, t -> new TreeMap<>())
                                .computeIfAbsent(source.name(), s -> new LinkedHashMap<>())
                                .put(n.name(), new VirtualLink(ctx, path, SnapshotPlaces.up(3) + SnapshotPlaces.fromRoot(ctx, source, n)));
                    }
                }
            }
            Map<String, ViewNode> out = new LinkedHashMap<>();
            byTag.forEach((tag, sources) -> {
                Map<String, ViewNode> dirs = new LinkedHashMap<>();
                sources.forEach((source, links) -> dirs.put(source,
                        new ComputedDir(ctx, root + "/" + tag + "/" + source, ctx.mountTime, () -> links)));
                out.put(tag, new ComputedDir(ctx, root + "/" + tag, ctx.mountTime, () -> dirs));
            });
            return out;
        });
    }

    static ViewNode ids(ViewContext ctx) {
        String root = "/" + IDS;
        return new ComputedDir(ctx, root, ctx.mountTime, () -> {
            Map<String, Integer> shortCount = new HashMap<>();
            for (Snapshot s : ctx.catalog().all()) {
                shortCount.merge(s.shortId(), 1, Integer::sum);
            }
            Map<String, ViewNode> out = new TreeMap<>();
            for (Source source : ctx.catalog().sources().values()) {
                for (Named n : source.snapshots()) {
                    Snapshot s = n.snapshot();
                    // Two snapshots sharing a short id are both shown by their full ids.
                    String name = shortCount.get(s.shortId()) == 1 ? s.shortId() : s.id().toString();
                    out.put(name, new VirtualLink(ctx, root + "/" + name, SnapshotPlaces.up(1) + SnapshotPlaces.fromRoot(ctx, source, n)));
                }
            }
            return out;
        });
    }
}
