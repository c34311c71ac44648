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

import dev.strata.core.error.UserFacingException;
import dev.strata.core.view.Inodes;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeHome;
import dev.strata.volume.VolumeNames;
import dev.strata.volume.view.NamedFolder;
import dev.strata.volume.view.ViewOwner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.strata.sync.view.PeerSource;
import dev.strata.sync.view.PeersFolder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wires an open repository into the tree a mount shows: the snapshot views, the other top-level views
 * and the live volumes (read-write under {@code volumes/}, their histories under {@code versions/}),
 * or one volume alone.
 */
final class RepositoryView implements AutoCloseable {
    /** How long a read in {@code peers/} waits for a chunk from a peer: a reader blocked longer gets EIO. */
    private static final java.time.Duration PEER_READ_TIMEOUT = java.time.Duration.ofSeconds(20);
    private final ViewContext context;
    private final ViewNode root;
    private final List<VolumeHome> volumes;

    private RepositoryView(ViewContext context, ViewNode root, List<VolumeHome> volumes) {
        this.context = context;
        this.root = root;
        this.volumes = volumes;
    }

    /**
     * The whole repository; every volume not open elsewhere is mounted read-write. {@code commandOptions}:
     * see {@link VolumeHome#open}.
     */
    static RepositoryView open(Repository r, PrintStream log, Path stateRoot, String commandOptions) throws IOException {
        return open(r, log, stateRoot, commandOptions, null);
    }

    /**
     * The whole repository, with {@code peers/} from {@code peers} when it is not null (docs/sync.md,
     * "What a peer has"): what the peers of the shared volumes hold, once the mount's sync has started.
     */
    static RepositoryView open(Repository r, PrintStream log, Path stateRoot, String commandOptions,
                               Supplier<PeerSource> peers) throws IOException {
        Consumer<String> problems = problem -> log.println(Instant.now() + " strata mount: " + problem);
        Snapshots snapshots = new Snapshots(r);
        SnapshotCatalog catalog = new SnapshotCatalog(snapshots, SnapshotKind.BACKUP, problems);
        catalog.refresh();
        ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, owner(ProcessIdentity.uid()), owner(ProcessIdentity.gid()),
                Timestamp.of(r.clock().instant()), ViewContext.GROUP_ABOVE, problems);
        List<VolumeHome> homes = new ArrayList<>();
        try {
            VolumeCatalog volumeCatalog = new VolumeCatalog(snapshots, ctx.trees, r.host(), r.clock());
            for (VolumeCatalog.Entry e : volumeCatalog.list()) {
                try {
                    homes.add(VolumeHome.open(r, volumeCatalog, e, stateRoot, ctx.trees, r.clock(), problems, true,
                            commandOptions));
                } catch (UserFacingException busy) {
                    problems.accept("volume " + e.name() + " is not shown: " + busy.getMessage());
                }
            }
            Map<String, ViewNode> more = new LinkedHashMap<>();
            SnapshotCatalog images = new SnapshotCatalog(snapshots, SnapshotKind.IMAGE, problems);
            images.refresh();
            more.put("images", new ImagesDir(ctx, images));
            ViewOwner owner = new ViewOwner(owner(ProcessIdentity.uid()), owner(ProcessIdentity.gid()), ctx.mountTime);
            Map<String, ViewNode> live = new LinkedHashMap<>();
            Map<String, ViewNode> histories = new LinkedHashMap<>();
            for (VolumeHome h : homes) {
                live.put(h.name(), h.volume().root());
                histories.put(VolumeNames.source(h.name()), h.volume().history(owner));
            }
            if (!homes.isEmpty()) {
                more.put("volumes", new NamedFolder(Inodes.ofPath("/volumes"), live, owner));
                if (peers != null) {
                    more.put("peers", new PeersFolder(peers, owner, PEER_READ_TIMEOUT, problems));
                }
            }
            return new RepositoryView(ctx, new MountRoot(ctx, more, () -> histories), homes);
        } catch (IOException | RuntimeException e) {
            closeAll(homes, problems);
            ctx.close();
            throw e;
        }
    }

    /** One volume alone, its root at the mountpoint. */
    static RepositoryView openVolume(Repository r, PrintStream log, Path stateRoot, String name, String commandOptions)
            throws IOException {
        Consumer<String> problems = problem -> log.println(Instant.now() + " strata mount: " + problem);
        Snapshots snapshots = new Snapshots(r);
        SnapshotCatalog catalog = new SnapshotCatalog(snapshots, SnapshotKind.BACKUP, problems);
        ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, owner(ProcessIdentity.uid()), owner(ProcessIdentity.gid()),
                Timestamp.of(r.clock().instant()), ViewContext.GROUP_ABOVE, problems);
        try {
            VolumeCatalog volumeCatalog = new VolumeCatalog(snapshots, ctx.trees, r.host(), r.clock());
            VolumeHome home = VolumeHome.open(r, volumeCatalog, volumeCatalog.require(name), stateRoot, ctx.trees, r.clock(),
                    problems, true, commandOptions);
            return new RepositoryView(ctx, home.volume().root(), List.of(home));
        } catch (IOException | RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    boolean hasVolumes() {
        return !volumes.isEmpty();
    }

    private static void closeAll(List<VolumeHome> homes, Consumer<String> problems) {
        for (VolumeHome h : homes) {
            try {
                h.close();
            } catch (IOException | RuntimeException e) {
                problems.accept("closing volume " + h.name() + " failed: " + e.getMessage());
            }
        }
    }

    /** The mounting user owns the folders that exist only in the mount (root when it cannot be read). */
    private static long owner(long id) {
        return Math.max(0, id);
    }

    ViewNode root() {
        return root;
    }

    /** The live volumes this view opened. */
    List<VolumeHome> volumes() {
        return volumes;
    }

    /** Closes the volumes (each writes a last checkpoint if it changed), then the views. */
    @Override
    public void close() {
        closeAll(volumes, line -> System.err.println("strata: " + line));
        context.close();
    }
}
