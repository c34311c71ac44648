package dev.strata.snapshot.view;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.Map;

/** A virtual folder whose entries are computed on each listing (hosts/x, tags/x, …). Thread-safe. */
final class ComputedDir extends VirtualDir {
    interface Entries {
        Map<String, ViewNode> get() throws IOException;
    }

    private final Entries entries;
    private final Timestamp time;

    ComputedDir(ViewContext ctx, String viewPath, Timestamp time, Entries entries) {
        super(ctx, viewPath);
        this.entries = entries;
        this.time = time;
    }

    @Override
    protected Map<String, ViewNode> entries() throws IOException {
        return entries.get();
    }

    @Override
    protected Timestamp time() {
        return time;
    }
}
