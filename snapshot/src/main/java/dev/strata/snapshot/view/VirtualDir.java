package dev.strata.snapshot.view;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A folder that exists only in the mounted tree (snapshots/, a source, versions/…): read-only,
 * owned by whoever mounted, with an inode derived from its view path. Thread-safe.
 */
public abstract class VirtualDir implements ViewNode {
    protected final ViewContext ctx;
    protected final String viewPath;

    protected VirtualDir(ViewContext ctx, String viewPath) {
        this.ctx = ctx;
        this.viewPath = viewPath;
    }

    /** The folder's entries, in listing order. */
    protected abstract Map<String, ViewNode> entries() throws IOException;

    /** The folder's time (its newest snapshot's, or the mount's). */
    protected Timestamp time() {
        return ctx.mountTime;
    }

    @Override
    public Attributes attributes() {
        return Attributes.virtualDirectory(Inodes.ofPath(viewPath), time(), ctx.uid, ctx.gid);
    }

    @Override
    public List<DirEntry> list() throws IOException {
        Map<String, ViewNode> e = entries();
        List<DirEntry> out = new ArrayList<>(e.size());
        for (Map.Entry<String, ViewNode> x : e.entrySet()) {
            out.add(new DirEntry(x.getKey(), x.getValue().attributes()));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        return Optional.ofNullable(entries().get(name));
    }

    @Override
    public boolean immutable() {
        return false;
    }

    protected String childPath(String name) {
        return viewPath.equals("/") ? "/" + name : viewPath + "/" + name;
    }
}
