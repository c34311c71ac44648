package dev.strata.cli.command;

import dev.strata.core.posix.ProcessIdentity;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.ViewNode;
import dev.strata.image.view.ImagesDir;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.MountRoot;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wires an open repository into the tree a mount shows: the snapshot views and the other top-level views. */
final class RepositoryView implements AutoCloseable {
    private final ViewContext context;
    private final ViewNode root;

    private RepositoryView(ViewContext context, ViewNode root) {
        this.context = context;
        this.root = root;
    }

    static RepositoryView open(Repository r, PrintStream log) throws IOException {
        java.util.function.Consumer<String> problems = problem -> log.println(Instant.now() + " strata mount: " + problem);
        Snapshots snapshots = new Snapshots(r);
        SnapshotCatalog catalog = new SnapshotCatalog(snapshots, SnapshotKind.BACKUP, problems);
        catalog.refresh();
        ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, owner(ProcessIdentity.uid()), owner(ProcessIdentity.gid()),
                Timestamp.of(r.clock().instant()), ViewContext.GROUP_ABOVE, problems);
        Map<String, ViewNode> more = new LinkedHashMap<>();
        SnapshotCatalog images = new SnapshotCatalog(snapshots, SnapshotKind.IMAGE, problems);
        images.refresh();
        more.put("images", new ImagesDir(ctx, images));
        return new RepositoryView(ctx, new MountRoot(ctx, more));
    }

    /** The mounting user owns the folders that exist only in the mount (root when it cannot be read). */
    private static long owner(long id) {
        return Math.max(0, id);
    }

    ViewNode root() {
        return root;
    }

    @Override
    public void close() {
        context.close();
    }
}
