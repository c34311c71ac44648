package dev.strata.snapshot.view;

import dev.strata.core.view.Attributes;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.ViewNode;

import java.nio.charset.StandardCharsets;

/** A symlink that exists only in the mounted tree (latest, ids/…, hosts/…). Immutable, thread-safe. */
public final class VirtualLink implements ViewNode {
    private final ViewContext ctx;
    private final String viewPath;
    private final byte[] target;

    public VirtualLink(ViewContext ctx, String viewPath, String target) {
        this.ctx = ctx;
        this.viewPath = viewPath;
        this.target = target.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Attributes attributes() {
        // The inode names the target too: when `latest` moves on, it is a new link.
        return Attributes.virtualSymlink(Inodes.ofPath(viewPath + "->" + new String(target, StandardCharsets.UTF_8)),
                ctx.mountTime, ctx.uid, ctx.gid, target.length);
    }

    @Override
    public boolean immutable() {
        // latest moves on when a snapshot is made.
        return false;
    }

    @Override
    public byte[] readLink() {
        return target.clone();
    }
}
