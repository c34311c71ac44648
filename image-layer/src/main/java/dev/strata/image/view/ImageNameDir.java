package dev.strata.image.view;

import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.view.SourceNames;
import dev.strata.snapshot.view.ViewContext;
import dev.strata.snapshot.view.VirtualDir;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** {@code images/<name>/}: one folder per snapshot of the image, named by its time, oldest first. Thread-safe. */
final class ImageNameDir extends VirtualDir {
    private final Map<String, ViewNode> entries;

    ImageNameDir(ViewContext ctx, String viewPath, List<Snapshot> snapshots, BiFunction<String, Snapshot, ViewNode> folders) {
        super(ctx, viewPath);
        Map<String, ViewNode> m = new LinkedHashMap<>();
        String previous = null;
        int repeat = 1;
        for (Snapshot s : snapshots.stream().sorted(Comparator.comparing(Snapshot::time)).toList()) {
            String base = SourceNames.time(s.time());
            repeat = base.equals(previous) ? repeat + 1 : 1;
            String name = repeat == 1 ? base : base + "-" + repeat;
            m.put(name, folders.apply(ImageSnapshotDir.join(viewPath, name), s));
            previous = base;
        }
        this.entries = m;
    }

    @Override
    protected Map<String, ViewNode> entries() {
        return entries;
    }
}
