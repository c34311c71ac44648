package dev.strata.snapshot.view;

import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code snapshots/}: one folder per source (what was saved, where). Thread-safe. */
final class SnapshotsDir extends VirtualDir {
    SnapshotsDir(ViewContext ctx, String viewPath) {
        super(ctx, viewPath);
    }

    @Override
    protected Map<String, ViewNode> entries() {
        Map<String, ViewNode> out = new LinkedHashMap<>();
        for (String source : ctx.catalog().sources().keySet()) {
            out.put(source, new SourceDir(ctx, childPath(source), source));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        if (ctx.catalog().sources().containsKey(name) || ctx.recheckedCatalog().sources().containsKey(name)) {
            return Optional.of(new SourceDir(ctx, childPath(name), name));
        }
        return Optional.empty();
    }
}
