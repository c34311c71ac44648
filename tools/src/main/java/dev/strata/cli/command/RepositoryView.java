package dev.strata.cli.command;

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
import java.nio.file.Files;
import java.nio.file.Path;
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
        SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(r), SnapshotKind.BACKUP,
                problem -> log.println(Instant.now() + " strata mount: " + problem));
        catalog.refresh();
        ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, owner("uid"), owner("gid"),
                Timestamp.of(r.clock().instant()), ViewContext.GROUP_ABOVE,
                problem -> log.println(Instant.now() + " strata mount: " + problem));
        Map<String, ViewNode> more = new LinkedHashMap<>();
        SnapshotCatalog images = new SnapshotCatalog(new Snapshots(r), SnapshotKind.IMAGE,
                problem -> log.println(Instant.now() + " strata mount: " + problem));
        images.refresh();
        more.put("images", new ImagesDir(ctx, images));
        return new RepositoryView(ctx, new MountRoot(ctx, more));
    }

    /** The mounting user owns the folders that exist only in the mount. */
    private static long owner(String which) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + which)).longValue();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    ViewNode root() {
        return root;
    }

    @Override
    public void close() {
        context.close();
    }
}
