package dev.strata.cli.command;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.ViewNode;
import dev.strata.image.Images;
import dev.strata.image.view.ImagesDir;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The folder of one image snapshot as the mount shows it ({@code disk.img}, {@code partN.img},
 * {@code partN/…}), for {@code image ls} and {@code image restore --path}. Not thread-safe; close it.
 */
final class ImageFiles implements AutoCloseable {
    final Snapshot snapshot;
    private final ViewContext ctx;
    private final ViewNode root;

    ImageFiles(Repository r, String spec, Consumer<String> problems) throws IOException {
        Snapshots snapshots = new Snapshots(r);
        this.snapshot = Images.select(snapshots.list(), spec);
        SnapshotCatalog catalog = new SnapshotCatalog(snapshots, SnapshotKind.IMAGE, problems);
        this.ctx = new ViewContext(new TreeStore(r.store()), catalog, 0, 0, Timestamp.of(r.clock().instant()),
                ViewContext.GROUP_ABOVE, problems, false); // one path resolved, then the command ends: nothing is read ahead
        this.root = ImagesDir.snapshotFolder(ctx, snapshot);
    }

    /** The entry at {@code path} ("" or "/" is the image's folder), e.g. {@code part1/home/me}. */
    ViewNode resolve(String path) throws IOException {
        ViewNode n = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            ViewNode parent = n;
            n = parent.child(part).orElseThrow(() -> new UserFacingException(ExitCode.NOT_FOUND,
                    "no " + path + " in image " + Images.nameOf(snapshot).orElse("?") + " (" + snapshot.shortId() + ")"));
        }
        return n;
    }

    @Override
    public void close() {
        ctx.close();
    }
}
