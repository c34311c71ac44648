package dev.strata.image.view;

import dev.strata.core.view.ViewNode;
import dev.strata.image.Images;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import dev.strata.snapshot.view.VirtualDir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code images/} folder of a mount: {@code images/<name>/<time>/disk.img} for every image
 * snapshot, with {@code part1.img}, {@code part2.img}… beside it for its partitions. Names come
 * from the image descriptions; times are UTC without colons, as for snapshots. New images appear
 * as the supplier sees them. Thread-safe.
 */
public final class ImagesDir extends VirtualDir {
    private static final long REFRESH_MILLIS = 1000;

    private final Supplier<List<Snapshot>> snapshots;
    /** Snapshot folders by view path, so that their trees are read once. */
    private final Map<String, ImageSnapshotDir> snapshotDirs = new ConcurrentHashMap<>();

    /**
     * A folder listing the image snapshots {@code snapshots} supplies (other kinds are ignored).
     *
     * @param viewPath where the folder is in the mount, usually {@code /images}
     */
    public ImagesDir(ViewContext ctx, String viewPath, Supplier<List<Snapshot>> snapshots) {
        super(ctx, viewPath);
        this.snapshots = snapshots;
    }

    /**
     * A folder listing the snapshots of {@code imageCatalog} (a catalog made with
     * {@link SnapshotKind#IMAGE}), refreshed at most once a second, at {@code /images}.
     */
    public ImagesDir(ViewContext ctx, SnapshotCatalog imageCatalog) {
        this(ctx, "/images", () -> {
            try {
                imageCatalog.refreshIfOlder(REFRESH_MILLIS);
            } catch (IOException e) {
                // Shown as it was at the last refresh; the catalog reports damaged records itself.
            }
            return imageCatalog.all();
        });
    }

    /**
     * One image snapshot's folder on its own ({@code disk.img}, {@code partN.img}, {@code partN/}),
     * for commands that browse an image without a mount.
     */
    public static ViewNode snapshotFolder(ViewContext ctx, Snapshot snapshot) {
        String name = Images.nameOf(snapshot).orElse("image");
        return new ImageSnapshotDir(ctx, "/images/" + name + "/" + dev.strata.snapshot.view.SourceNames.time(snapshot.time()), snapshot);
    }

    @Override
    protected Map<String, ViewNode> entries() {
        Map<String, List<Snapshot>> byName = new TreeMap<>();
        for (Snapshot s : snapshots.get()) {
            if (s.kind() == SnapshotKind.IMAGE) {
                Images.nameOf(s).ifPresent(n -> byName.computeIfAbsent(n, k -> new ArrayList<>()).add(s));
            }
        }
        Map<String, ViewNode> out = new LinkedHashMap<>();
        byName.forEach((name, list) -> out.put(name, new ImageNameDir(ctx, ImageSnapshotDir.join(viewPath, name), list,
                (path, s) -> snapshotDirs.computeIfAbsent(path + "@" + s.id(), k -> new ImageSnapshotDir(ctx, path, s)))));
        return out;
    }
}
