package dev.strata.snapshot.restore;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.FileMode;
import dev.strata.core.posix.Posix;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a tree into a target folder: folders first, file contents in parallel, hard links relinked,
 * special files recreated, and folder metadata last (deepest first, so writing into a folder never
 * disturbs its times). Damaged files are listed and skipped; everything else is restored. Nothing is
 * ever written outside the target. Confined to one thread (it starts its own workers).
 */
public final class Restorer {
    private final TreeStore trees;
    private final Posix posix = Posix.get();

    public Restorer(TreeStore trees) {
        this.trees = trees;
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
        private final ContentWriter writer;
        private final AtomicLong bytesWritten = new AtomicLong();
        private final AtomicLong filesRestored = new AtomicLong();
        private final AtomicLong filesSkipped = new AtomicLong();
        private final AtomicLong specials = new AtomicLong();
        private long dirs;
        private final List<String> damaged = Collections.synchronizedList(new ArrayList<>());
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
        private final List<Map.Entry<Path, Node>> directories = new ArrayList<>();
        /** First restored path of each hard-linked inode (device:inode of the backed-up file). */
        private final Map<String, CompletableFuture<Path>> linkHeads = new HashMap<>();

        Job(RestoreRequest req, Progress progress) {
            this.req = req;
            this.progress = progress;
            this.target = req.target().toAbsolutePath().normalize();
            this.metadata = new MetadataApplier(posix, req.owners());
            int threads = req.threads() > 0 ? req.threads() : 2 * Runtime.getRuntime().availableProcessors();
            this.files = pool("strata-restore", threads);
            this.loaders = pool("strata-fetch", threads);
            this.writer = new ContentWriter(trees.chunks(), posix, loaders, bytesWritten);
        }

        RestoreResult run() throws IOException {
            try {
                Files.createDirectories(target);
                LazyDir root = new LazyDir(target, null, null, req.origin());
                root.ready = true;
                restoreTree(req.tree(), root, req.origin());
                for (CompletableFuture<Void> f : pending) {
                    f.join();
                }
                // Deepest first: restoring a folder's times after everything inside it is written.
                for (int i = directories.size() - 1; i >= 0; i--) {
                    metadata.apply(directories.get(i).getKey(), directories.get(i).getValue(), this::problem);
                }
            } finally {
                files.shutdownNow();
                loaders.shutdownNow();
            }
            progress.update(filesRestored.get(), bytesWritten.get());
            return new RestoreResult(filesRestored.get(), filesSkipped.get(), dirs, specials.get(), bytesWritten.get(),
                    damaged, refused, problems);
        }

        private void restoreTree(dev.strata.core.id.ChunkId id, LazyDir dir, String snapshotPath) throws IOException {
            Tree tree;
            try {
                tree = trees.read(id);
            } catch (CorruptDataException | MissingChunkException e) {
                damaged.add(snapshotPath + " (folder contents): " + e.getMessage());
                return;
            }
            for (Node node : tree.nodes()) {
                String childSnapshotPath = snapshotPath.endsWith("/") ? snapshotPath + node.name() : snapshotPath + "/" + node.name();
                Path child = dir.path.resolve(node.name()).normalize();
                if (!Names.isSafe(node.name()) || !child.getParent().equals(dir.path) || !child.startsWith(target)) {
                    refused.add(childSnapshotPath + ": unsafe name, not restored");
                    continue;
                }
                if (node.isDirectory()) {
                    if (!req.selected().enter(childSnapshotPath)) {
                        continue;
                    }
                    LazyDir sub = new LazyDir(child, node, dir, childSnapshotPath);
                    if (req.selected().includes(childSnapshotPath, true) && !sub.ensure()) {
                        continue;
                    }
                    restoreTree(node.subtree(), sub, childSnapshotPath);
                    continue;
                }
                if (!req.selected().includes(childSnapshotPath, false) || !dir.ensure()) {
                    continue;
                }
                if (node.isFile()) {
                    planFile(child, node, childSnapshotPath);
                } else {
                    restoreSpecial(child, node, childSnapshotPath);
                }
            }
        }

        /** A folder created only when something is restored into it (or it is selected itself). */
        private final class LazyDir {
            final Path path;
            final Node node;
            final LazyDir parent;
            final String snapshotPath;
            Boolean ready;

            LazyDir(Path path, Node node, LazyDir parent, String snapshotPath) {
                this.path = path;
                this.node = node;
                this.parent = parent;
                this.snapshotPath = snapshotPath;
            }

            boolean ensure() throws IOException {
                if (ready == null) {
                    ready = (parent == null || parent.ensure()) && prepareDirectory(path, snapshotPath);
                    if (ready) {
                        dirs++;
                        directories.add(Map.entry(path, node));
                    }
                }
                return ready;
            }
        }

        /** Makes sure {@code dir} is a real folder (never a symlink that would lead outside the target). */
        private boolean prepareDirectory(Path dir, String snapshotPath) throws IOException {
            FileStatus st = lstatOrNull(dir);
            if (st != null && st.isDirectory()) {
                return true;
            }
            if (st != null) {
                if (req.overwrite() == OverwriteMode.NEVER) {
                    problem(dir, "something else is in the way of folder " + snapshotPath + "; kept it");
                    return false;
                }
                Files.delete(dir);
            }
            Files.createDirectory(dir);
            return true;
        }

        private void planFile(Path path, Node node, String snapshotPath) {
            if (node.links() > 1) {
                String key = node.device() + ":" + node.inode();
                CompletableFuture<Path> head = linkHeads.get(key);
                if (head != null) {
                    pending.add(head.thenAcceptAsync(first -> link(path, first, node, snapshotPath), files));
                    return;
                }
                CompletableFuture<Path> mine = new CompletableFuture<>();
                linkHeads.put(key, mine);
                pending.add(CompletableFuture.runAsync(() -> mine.complete(restoreFile(path, node, snapshotPath) ? path : null), files));
                return;
            }
            pending.add(CompletableFuture.runAsync(() -> restoreFile(path, node, snapshotPath), files));
        }

        /** Another name of an already restored inode: a hard link to it, or a copy if that failed. */
        private void link(Path path, Path first, Node node, String snapshotPath) {
            if (first == null) {
                restoreFile(path, node, snapshotPath);
                return;
            }
            try {
                if (!clearForFile(path)) {
                    filesSkipped.incrementAndGet();
                    return;
                }
                Files.createLink(path, first);
                filesRestored.incrementAndGet();
            } catch (IOException e) {
                problem(path, "hard link to " + first + " failed (" + e.getMessage() + "), restored as a copy");
                restoreFile(path, node, snapshotPath);
            }
        }

        /** Restores one regular file; returns whether it now holds the snapshot's content. */
        private boolean restoreFile(Path path, Node node, String snapshotPath) {
            try {
                FileStatus st = lstatOrNull(path);
                if (st != null && st.isRegularFile() && keepExisting(st, node)) {
                    filesSkipped.incrementAndGet();
                    metadata.apply(path, node, this::problem);
                    return true;
                }
                if (!clearForFile(path)) {
                    filesSkipped.incrementAndGet();
                    return false;
                }
                Files.createFile(path);
                List<ChunkRef> refs = trees.refs(node.content());
                writer.write(path, refs, node.size());
                if (req.verify()) {
                    writer.verify(path, refs, node.size());
                }
                metadata.apply(path, node, this::problem);
                long n = filesRestored.incrementAndGet();
                progress.update(n, bytesWritten.get());
                return true;
            } catch (CorruptDataException | MissingChunkException e) {
                damaged.add(display(snapshotPath) + ": " + e.getMessage());
                deleteQuietly(path);
            } catch (IOException | RuntimeException e) {
                problem(path, "not restored: " + e.getMessage());
                deleteQuietly(path);
            }
            return false;
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

        /** Removes what is at {@code path} so a file can be created there; false when it must be kept. */
        private boolean clearForFile(Path path) throws IOException {
            FileStatus st = lstatOrNull(path);
            if (st == null) {
                return true;
            }
            if (req.overwrite() == OverwriteMode.NEVER) {
                return false;
            }
            if (st.isDirectory()) {
                problem(path, "a folder is in the way; kept it");
                return false;
            }
            Files.delete(path);
            return true;
        }

        private void restoreSpecial(Path path, Node node, String snapshotPath) {
            try {
                if (!clearForFile(path)) {
                    filesSkipped.incrementAndGet();
                    return;
                }
                switch (node.type()) {
                    case SYMLINK:
                        Files.createSymbolicLink(path, Path.of(new String(node.linkTarget(), StandardCharsets.UTF_8)));
                        break;
                    case FIFO:
                        posix.mkfifo(path, node.mode());
                        break;
                    case SOCKET:
                        posix.mknod(path, FileMode.S_IFSOCK | node.mode(), 0);
                        break;
                    case CHAR_DEVICE:
                        posix.mknod(path, FileMode.S_IFCHR | node.mode(), node.rdev());
                        break;
                    case BLOCK_DEVICE:
                        posix.mknod(path, FileMode.S_IFBLK | node.mode(), node.rdev());
                        break;
                    default:
                        throw new IllegalStateException("not a special file: " + node.type());
                }
                metadata.apply(path, node, this::problem);
                specials.incrementAndGet();
            } catch (FileAlreadyExistsException e) {
                problem(path, "already exists; kept it");
            } catch (IOException | RuntimeException e) {
                problem(path, node.type().name().toLowerCase(java.util.Locale.ROOT) + " not restored: " + e.getMessage());
            }
        }

        private FileStatus lstatOrNull(Path p) throws IOException {
            try {
                return posix.lstat(p);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private void problem(Path path, String message) {
            problems.add(path + ": " + message);
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

        private String display(String snapshotPath) {
            return snapshotPath;
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
