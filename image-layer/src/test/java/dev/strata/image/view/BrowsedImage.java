package dev.strata.image.view;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.tree.NodeType;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageCreator;
import dev.strata.image.ImageRequest;
import dev.strata.image.source.FileImageSource;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A folder made into an ext4 image ({@code mke2fs -d}), imaged into a repository of its own whose
 * backend counts reads and whose chunk cache has the size given, and browsed: {@link #disk} is the
 * image's filesystem as the mount shows it. Closing it closes the view and the repository.
 */
final class BrowsedImage implements AutoCloseable {
    final FaultInjectingBackend backend;
    final Repository repo;
    final SnapshotCatalog catalog;
    final ViewContext ctx;
    final ViewNode disk;
    /** The backend's read count when the image was saved, before anything was browsed. */
    final long readsBeforeBrowsing;
    /** The bytes in the chunk cache then. */
    final long cachedBeforeBrowsing;

    private BrowsedImage(FaultInjectingBackend backend, Repository repo, SnapshotCatalog catalog, ViewContext ctx, ViewNode disk,
                         long readsBeforeBrowsing, long cachedBeforeBrowsing) {
        this.readsBeforeBrowsing = readsBeforeBrowsing;
        this.cachedBeforeBrowsing = cachedBeforeBrowsing;
        this.backend = backend;
        this.repo = repo;
        this.catalog = catalog;
        this.ctx = ctx;
        this.disk = disk;
    }

    static BrowsedImage of(Path dir, Path source, String filesystemSize, long chunkCacheBytes) throws Exception {
        return of(dir, source, filesystemSize, chunkCacheBytes, img -> { }, x -> { });
    }

    /** The same, with {@code damage} applied to the image file before it is saved, and the view's problems to {@code problems}. */
    static BrowsedImage of(Path dir, Path source, String filesystemSize, long chunkCacheBytes, ImageChange damage,
                           java.util.function.Consumer<String> problems) throws Exception {
        Path img = dir.resolve("ext.img");
        DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-d", source.toString(), img.toString(), filesystemSize);
        damage.apply(img);
        FaultInjectingBackend backend = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        TestRepositories.Fixture fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        Repository r = Repository.open(backend, fixture.password().toCharArray(),
                fixture.openOptions(LockMode.WRITE).withChunkCacheBytes(chunkCacheBytes), fixture.clock(), fixture.host());
        ViewContext ctx = null;
        try {
            try (FileImageSource src = FileImageSource.open(img)) {
                new ImageCreator(r).create(src, ImageRequest.of("pc").withTime(Instant.parse("2026-11-26T10:20:30Z")),
                        new ImageCounters(), w -> { });
            }
            SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(r), SnapshotKind.IMAGE, x -> { });
            long reads = backend.calls(FaultInjectingBackend.Operation.READ);
            long cached = r.store().cachedBytes();
            ctx = new ViewContext(new TreeStore(r.store()), catalog, 1000, 1000, Timestamp.EPOCH, ViewContext.GROUP_ABOVE, problems);
            ViewNode disk = new ImagesDir(ctx, catalog).child("pc").orElseThrow().child("2026-11-26T10-20-30").orElseThrow()
                    .child("disk").orElseThrow();
            return new BrowsedImage(backend, r, catalog, ctx, disk, reads, cached);
        } catch (Exception | Error e) {
            try {
                if (ctx != null) {
                    ctx.close();
                }
            } finally {
                r.close();
            }
            throw e;
        }
    }

    /** Lists every folder below {@code dir} and takes every entry's attributes, as find does, lost+found aside; the entries seen. */
    static int walk(ViewNode dir) throws Exception {
        int n = 0;
        for (DirEntry e : dir.list()) {
            if (e.name().equals("lost+found")) {
                continue;
            }
            n++;
            if (e.attributes().type() == NodeType.DIRECTORY) {
                n += walk(dir.child(e.name()).orElseThrow());
            }
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        try {
            ctx.close();
        } finally {
            repo.close();
        }
    }

    /** A change made to the image file before it is saved. */
    interface ImageChange {
        void apply(Path img) throws Exception;
    }
}
