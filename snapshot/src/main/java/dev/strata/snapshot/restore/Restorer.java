package dev.strata.snapshot.restore;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.name.Printable;
import dev.strata.core.posix.DirectoryHandle;
import dev.strata.core.posix.FileMode;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.posix.Posix;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a tree into a target folder: folders first, file contents in parallel, hard links relinked,
 * special files recreated, and folder metadata last (deepest first, so writing into a folder never
 * disturbs its times). Nothing is ever written outside the target. Confined to one thread (it
 * starts its own workers).
 *
 * <p>What cannot be restored is listed, each with its reason, and everything else is restored:
 * damaged data, an entry in the way, a name the target's filesystem refuses. Depth is no limit:
 * below a folder whose path grows long, entries are made through a handle on that folder, so the
 * 4,096 bytes Linux allows one path never stop a restore. A full disk stops it early, with nothing
 * half-written left behind; running the same restore again resumes it.
 */
public final class Restorer {
    /**
     * The longest path entries are created through: a name (at most 255 bytes), a slash and the NUL
     * still fit within Linux's 4,096. A folder deeper than this is held open and reached by a short
     * path instead.
     */
    static final int SHORT_PATH = 3800;

    private final TreeStore trees;
    private final Posix posix = Posix.get();
    private final EntryProbe probe;

    public Restorer(TreeStore trees) {
        this(trees, EntryProbe.of(Posix.get()));
    }

    /** With the given way to look at existing entries (tests count the looks). */
    Restorer(TreeStore trees, EntryProbe probe) {
        this.trees = trees;
        this.probe = probe;
    }

    /** Progress of a restore: bytes written so far. */
    public interface Progress {
        Progress NONE = (files, bytes) -> { };

        void update(long filesDone, long bytesWritten);
    }

    public RestoreResult run(RestoreRequest req, Progress progress) throws IOException {
        return new Job(req, progress).run();
    }

    /** The state of one restore. */
    private final class Job {
        private final RestoreRequest req;
        private final Progress progress;
        private final Path target;
        private final MetadataApplier metadata;
        private final ExecutorService files;
        private final ExecutorService loaders;
        private final ContentVerifier verifier;
        private final boolean canHold = Files.isDirectory(Path.of("/proc/self/fd"));
        private final AtomicLong bytesWritten = new AtomicLong();
        private final AtomicLong filesRestored = new AtomicLong();
        private final AtomicLong filesSkipped = new AtomicLong();
        private final AtomicLong specials = new AtomicLong();
        private final AtomicBoolean diskFull = new AtomicBoolean();
        private long dirs;
        private final List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
        private final List<Folder> directories = new ArrayList<>();
        private final List<DirectoryHandle> held = new ArrayList<>();
        /** First restored place of each hard-linked inode (device:inode of the backed-up file). */
        private final Map<String, CompletableFuture<Place>> linkHeads = new HashMap<>();
        /** Files planned and not yet started: their chunks are read in pack order when it is full. */
        private RestoreWindow window;
        /** The window being written; the next one starts when it is done, so at most two are held. */
        private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        Job(RestoreRequest req, Progress progress) {
            this.req = req;
            this.progress = progress;
            this.target = req.target().toAbsolutePath().normalize();
            this.metadata = new MetadataApplier(posix, req.owners());
            int threads = req.threads() > 0 ? req.threads() : 2 * Runtime.getRuntime().availableProcessors();
            this.files = pool("strata-restore", threads);
            this.loaders = pool("strata-fetch", threads);
            this.verifier = new ContentVerifier(trees.chunks(), posix);
            this.window = new RestoreWindow(trees.chunks());
        }

        RestoreResult run() throws IOException {
            try {
                boolean fresh = missingOrEmpty(target);
                Files.createDirectories(target);
                Folder root = new Folder(target, null, null, null, req.origin());
                root.io = target;
                root.inside = inside(target);
                root.ready = true;
                root.fresh = fresh;
                restoreTree(req.tree(), root, req.origin());
                startWindow();
                inFlight.join();
                for (CompletableFuture<Void> f : pending) {
                    f.join();
                }
                if (!diskFull.get()) {
                    // Deepest first: restoring a folder's times after everything inside it is written.
                    for (int i = directories.size() - 1; i >= 0; i--) {
                        Folder d = directories.get(i);
                        metadata.apply(new Place(d.path, d.io), d.node, this::fail);
                    }
                }
            } finally {
                files.shutdownNow();
                loaders.shutdownNow();
                held.forEach(DirectoryHandle::close);
            }
            progress.update(filesRestored.get(), bytesWritten.get());
            return new RestoreResult(filesRestored.get(), filesSkipped.get(), dirs, specials.get(), bytesWritten.get(),
                    damaged, refused, problems, diskFull.get());
        }

        private void restoreTree(ChunkId id, Folder dir, String snapshotPath) throws IOException {
            try {
                restoreEntries(trees.nodes(id), dir, snapshotPath);
            } catch (CorruptDataException | MissingChunkException e) {
                damaged.add(Printable.of(snapshotPath) + " (folder contents): " + e.getMessage());
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof CorruptDataException)) {
                    throw e.getCause();
                }
                // The entries before the damage are restored.
                damaged.add(Printable.of(snapshotPath) + " (folder contents): " + e.getCause().getMessage());
            }
        }

        /** The entries of one folder, decoded one at a time: a wide folder is never held as nodes. */
        private void restoreEntries(Iterable<Node> nodes, Folder dir, String snapshotPath) throws IOException {
            for (Node node : nodes) {
                if (diskFull.get()) {
                    return;
                }
                String childSnapshotPath = snapshotPath.endsWith("/") ? snapshotPath + node.name() : snapshotPath + "/" + node.name();
                Path child = Names.isSafe(node.name()) ? PathBytes.resolve(dir.path, node.name()) : null;
                if (child == null || !child.getParent().equals(dir.path) || !child.startsWith(target)) {
                    refused.add(Printable.of(childSnapshotPath) + ": unsafe name, not restored");
                    continue;
                }
                if (node.isDirectory()) {
                    if (!req.selected().enter(childSnapshotPath)) {
                        continue;
                    }
                    Folder sub = new Folder(child, node.name(), node, dir, childSnapshotPath);
                    if (req.selected().includes(childSnapshotPath, true) && !sub.ensure()) {
                        continue;
                    }
                    restoreTree(node.subtree(), sub, childSnapshotPath);
                    continue;
                }
                if (!req.selected().includes(childSnapshotPath, false) || !dir.ensure()) {
                    continue;
                }
                Place place = dir.place(node.name());
                if (node.isFile()) {
                    planFile(place, node, childSnapshotPath, dir.fresh);
                } else {
                    restoreSpecial(place, node, dir.fresh);
                }
            }
        }

        /** A folder created only when something is restored into it (or it is selected itself). */
        private final class Folder {
            final Path path;
            final String name;
            final Node node;
            final Folder parent;
            final String snapshotPath;
            /** The folder itself for system calls: its parent's short path and its name. */
            Path io;
            /** A short path to what is inside: {@code io}, or a held handle when {@code io} is long. */
            Path inside;
            Boolean ready;
            /**
             * Made by this restore (or empty when it began): nothing is in the way of its entries, so
             * they are created without looking first; a create that still finds something looks then.
             */
            boolean fresh;

            Folder(Path path, String name, Node node, Folder parent, String snapshotPath) {
                this.path = path;
                this.name = name;
                this.node = node;
                this.parent = parent;
                this.snapshotPath = snapshotPath;
            }

            /** Creates the folder (and those above it) unless done; false when it cannot be had. */
            boolean ensure() {
                if (ready != null) {
                    return ready;
                }
                ready = false;
                if (!parent.ensure()) {
                    return false;
                }
                io = PathBytes.resolve(parent.inside, name);
                try {
                    if (prepareDirectory(this)) {
                        inside = inside(io);
                        ready = true;
                        dirs++;
                        directories.add(this);
                    }
                } catch (IOException | RuntimeException e) {
                    fail(path, "folder not restored, nor anything in it", e);
                }
                return ready;
            }

            Place place(String childName) {
                return new Place(PathBytes.resolve(path, childName), PathBytes.resolve(inside, childName));
            }
        }

        /** A short path to the inside of the folder at {@code io}: itself, or a handle held until the end. */
        private Path inside(Path io) throws IOException {
            if (!canHold || PathBytes.of(io).length <= SHORT_PATH) {
                return io;
            }
            DirectoryHandle h = posix.openDirectory(io);
            held.add(h);
            return h.path();
        }

        /** Whether {@code dir} is missing or an empty folder: then nothing can be in the way of what is restored into it. */
        private boolean missingOrEmpty(Path dir) throws IOException {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                return !s.iterator().hasNext();
            } catch (NoSuchFileException e) {
                return true;
            } catch (NotDirectoryException e) {
                return false;
            }
        }

        /** Makes sure the folder is a real one (never a symlink that would lead outside the target). */
        private boolean prepareDirectory(Folder dir) throws IOException {
            if (dir.parent.fresh) {
                try {
                    Files.createDirectory(dir.io);
                    dir.fresh = true;
                    return true;
                } catch (FileAlreadyExistsException e) {
                    // Something is there after all (a name twice in one tree): look at it below.
                }
            }
            FileStatus st = lstatOrNull(dir.io);
            if (st != null && st.isDirectory()) {
                return true;
            }
            if (st != null) {
                if (req.overwrite() == OverwriteMode.NEVER) {
                    problem(dir.path, "something else is in the way of folder " + Printable.of(dir.snapshotPath) + "; kept it");
                    return false;
                }
                Files.delete(dir.io);
            }
            Files.createDirectory(dir.io);
            dir.fresh = true;
            return true;
        }

        private void planFile(Place place, Node node, String snapshotPath, boolean fresh) {
            if (node.links() > 1) {
                String key = node.device() + ":" + node.inode();
                CompletableFuture<Place> head = linkHeads.get(key);
                if (head != null) {
                    pending.add(head.thenAcceptAsync(first -> link(place, first, node, snapshotPath, fresh), files));
                    return;
                }
                CompletableFuture<Place> mine = plan(window, place, node, snapshotPath, fresh).thenApply(ok -> ok ? place : null);
                linkHeads.put(key, mine);
            } else {
                plan(window, place, node, snapshotPath, fresh);
            }
            if (window.full()) {
                startWindow();
            }
        }

        /** Starts the planned window once the one before it is done, and plans into a new one. */
        private void startWindow() {
            if (window.isEmpty()) {
                return;
            }
            inFlight.join();
            inFlight = window.start(loaders);
            window = new RestoreWindow(trees.chunks());
        }

        /**
         * Plans one regular file into {@code w}; the future says whether the file ends up holding the
         * snapshot's content. In a fresh folder nothing is looked at (O_EXCL says if something is
         * there); elsewhere what is in the way is looked at now, so a file kept as it is costs no read.
         */
        private CompletableFuture<Boolean> plan(RestoreWindow w, Place place, Node node, String snapshotPath, boolean fresh) {
            if (diskFull.get()) {
                return CompletableFuture.completedFuture(false);
            }
            try {
                if (!fresh) {
                    FileStatus st = lstatOrNull(place.io());
                    if (st != null && st.isRegularFile() && keepExisting(st, node)) {
                        filesSkipped.incrementAndGet();
                        metadata.apply(place, node, this::fail);
                        return CompletableFuture.completedFuture(true);
                    }
                    if (!clearForFile(place)) {
                        filesSkipped.incrementAndGet();
                        return CompletableFuture.completedFuture(false);
                    }
                }
                PendingFile f = new PendingFile(place, node, snapshotPath, trees.refs(node.content()), outcome, bytesWritten);
                w.add(f);
                return f.done;
            } catch (CorruptDataException | MissingChunkException e) {
                damaged.add(Printable.of(snapshotPath) + ": " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                fail(place.path(), "not restored", e);
            }
            return CompletableFuture.completedFuture(false);
        }

        /** Restores one file on its own, on the calling thread's behalf (a hard link that could not be made). */
        private boolean restoreFile(Place place, Node node, String snapshotPath, boolean fresh) {
            RestoreWindow alone = new RestoreWindow(trees.chunks());
            CompletableFuture<Boolean> done = plan(alone, place, node, snapshotPath, fresh);
            alone.start(loaders).join();
            return done.join();
        }

        /** What happens around each file's content, on the thread that reads its first or last chunk. */
        private final PendingFile.Outcome outcome = new PendingFile.Outcome() {
            @Override
            public FileChannel open(PendingFile f) throws IOException {
                if (diskFull.get()) {
                    return null;
                }
                Path io = f.place.io();
                try {
                    return FileChannel.open(io, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    // A name twice in one tree, or something appeared meanwhile: look at it.
                }
                FileStatus st = lstatOrNull(io);
                if (st != null && st.isRegularFile() && keepExisting(st, f.node)) {
                    filesSkipped.incrementAndGet();
                    metadata.apply(f.place, f.node, Job.this::fail);
                    f.kept = true;
                    return null;
                }
                if (!clearForFile(f.place)) {
                    filesSkipped.incrementAndGet();
                    return null;
                }
                return FileChannel.open(io, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }

            @Override
            public void finish(PendingFile f, boolean created, Exception failure) {
                Path io = f.place.io();
                boolean ok = false;
                try {
                    if (failure != null) {
                        throw failure;
                    }
                    if (created) {
                        if (f.dataEnd < f.node.size()) {
                            // After the last write, so that a hole at the end stays a hole.
                            posix.truncate(io, f.node.size());
                        }
                        if (req.verify()) {
                            verifier.verify(io, f.refs, f.node.size());
                        }
                        metadata.apply(f.place, f.node, Job.this::fail);
                        progress.update(filesRestored.incrementAndGet(), bytesWritten.get());
                    }
                    ok = created || f.kept;
                } catch (CorruptDataException | MissingChunkException e) {
                    damaged.add(Printable.of(f.snapshotPath) + ": " + e.getMessage());
                    if (created) {
                        deleteQuietly(io);
                    }
                } catch (Exception e) {
                    fail(f.place.path(), "not restored", e);
                    if (created) {
                        deleteQuietly(io);
                    }
                }
                f.done.complete(ok);
            }
        };

        /**
         * Another name of an already restored inode: a hard link to it (kept if it is one already),
         * or a copy if linking failed.
         */
        private void link(Place place, Place first, Node node, String snapshotPath, boolean fresh) {
            if (first == null || diskFull.get()) {
                restoreFile(place, node, snapshotPath, fresh);
                return;
            }
            try {
                if (fresh && linkNew(place, first)) {
                    filesRestored.incrementAndGet();
                    return;
                }
                FileStatus existing = lstatOrNull(place.io());
                if (existing != null && existing.isRegularFile() && sameInode(existing, first.io())) {
                    filesSkipped.incrementAndGet();
                    return;
                }
                if (!clearForFile(place)) {
                    filesSkipped.incrementAndGet();
                    return;
                }
                Files.createLink(place.io(), first.io());
                filesRestored.incrementAndGet();
            } catch (IOException e) {
                if (Failures.diskFull(e)) {
                    diskFull.set(true);
                    return;
                }
                problem(place.path(), "hard link to " + PathBytes.printable(first.path()) + " failed ("
                        + Failures.reason(e) + "), restored as a copy");
                restoreFile(place, node, snapshotPath, false);
            }
        }

        /** Links without looking first; false when something is already at {@code place}. */
        private boolean linkNew(Place place, Place first) throws IOException {
            try {
                Files.createLink(place.io(), first.io());
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        private boolean sameInode(FileStatus st, Path other) throws IOException {
            FileStatus o = lstatOrNull(other);
            return o != null && o.inode() == st.inode() && o.device() == st.device();
        }

        private boolean keepExisting(FileStatus st, Node node) {
            switch (req.overwrite()) {
                case NEVER:
                    return true;
                case IF_CHANGED:
                    return st.size() == node.size() && st.mtime().seconds() == node.mtime().seconds()
                            && st.mtime().nanos() == node.mtime().nanos();
                default:
                    return false;
            }
        }

        /** Removes what is at {@code place} so a file can be created there; false when it must be kept. */
        private boolean clearForFile(Place place) throws IOException {
            FileStatus st = lstatOrNull(place.io());
            if (st == null) {
                return true;
            }
            if (req.overwrite() == OverwriteMode.NEVER) {
                return false;
            }
            if (st.isDirectory()) {
                problem(place.path(), "a folder is in the way; kept it");
                return false;
            }
            Files.delete(place.io());
            return true;
        }

        private void restoreSpecial(Place place, Node node, boolean fresh) {
            if (diskFull.get()) {
                return;
            }
            Path io = place.io();
            try {
                if (fresh) {
                    try {
                        makeSpecial(io, node);
                        metadata.apply(place, node, this::fail);
                        specials.incrementAndGet();
                        return;
                    } catch (FileAlreadyExistsException e) {
                        // something is there after all: as in a folder that was not empty
                    }
                }
                if (!clearForFile(place)) {
                    filesSkipped.incrementAndGet();
                    return;
                }
                makeSpecial(io, node);
                metadata.apply(place, node, this::fail);
                specials.incrementAndGet();
            } catch (FileAlreadyExistsException e) {
                problem(place.path(), "already exists; kept it");
            } catch (IOException | RuntimeException e) {
                fail(place.path(), node.type().name().toLowerCase(java.util.Locale.ROOT) + " not restored", e);
            }
        }

        private void makeSpecial(Path io, Node node) throws IOException {
            switch (node.type()) {
                case SYMLINK:
                    Files.createSymbolicLink(io, PathBytes.path(node.linkTarget()));
                    break;
                case FIFO:
                    posix.mkfifo(io, node.mode());
                    break;
                case SOCKET:
                    posix.mknod(io, FileMode.S_IFSOCK | node.mode(), 0);
                    break;
                case CHAR_DEVICE:
                    posix.mknod(io, FileMode.S_IFCHR | node.mode(), node.rdev());
                    break;
                case BLOCK_DEVICE:
                    posix.mknod(io, FileMode.S_IFBLK | node.mode(), node.rdev());
                    break;
                default:
                    throw new IllegalStateException("not a special file: " + node.type());
            }
        }

        private FileStatus lstatOrNull(Path p) throws IOException {
            return probe.lstatOrNull(p);
        }

        /** Lists a failure with its reason; a full disk instead stops the restore (one summary, no flood). */
        private void fail(Path path, String what, Exception why) {
            if (Failures.diskFull(why)) {
                diskFull.set(true);
                return;
            }
            problem(path, what + ": " + Failures.reason(why));
        }

        private void problem(Path path, String message) {
            problems.add(PathBytes.printable(path) + ": " + message);
        }

        private void deleteQuietly(Path path) {
            try {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(path);
                }
            } catch (IOException ignored) {
                // reported already
            }
        }
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
