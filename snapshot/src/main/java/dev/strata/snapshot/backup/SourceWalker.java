package dev.strata.snapshot.backup;

import dev.strata.core.id.ChunkId;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.tree.Names;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.backup.filter.IoReasons;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Walks the source depth-first on the calling thread and saves it bottom-up: files are saved on a
 * pool, and each directory's tree is written as soon as all its entries are. The walker runs at most
 * a bounded number of files ahead of the savers. Thread-safe for one walk.
 */
final class SourceWalker {
    private final SourceFs fs;
    private final TreeStore trees;
    private final FileArchiver archiver;
    private final NodeFactory nodes;
    private final ExecutorService pool;
    private final Semaphore ahead;
    private final BackupCounters counters;
    private final Warnings warnings;
    private final boolean oneFileSystem;
    private final DirectoryAtimes atimes;
    private final ConcurrentHashMap<String, CompletableFuture<FileArchiver.Saved>> hardLinks = new ConcurrentHashMap<>();

    SourceWalker(SourceFs fs, TreeStore trees, ExecutorService pool, int maxAhead, BackupCounters counters,
                 Warnings warnings, boolean oneFileSystem, DirectoryAtimes atimes) {
        this.atimes = atimes;
        this.fs = fs;
        this.trees = trees;
        this.archiver = new FileArchiver(fs, trees, counters);
        this.nodes = new NodeFactory(fs);
        this.pool = pool;
        this.ahead = new Semaphore(maxAhead);
        this.counters = counters;
        this.warnings = warnings;
        this.oneFileSystem = oneFileSystem;
    }

    /**
     * Saves the entry at {@code path} (any type) under {@code name}; empty when it is skipped (a
     * warning says why).
     */
    CompletableFuture<Optional<Node>> entry(Path path, String name, FileStatus st, ParentDir parent, PathFilter filter,
                                            long rootDevice) throws IOException {
        Optional<NodeType> type = NodeFactory.typeOf(st);
        if (type.isEmpty()) {
            warnings.add(path, "unsupported file type, not saved");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        switch (type.get()) {
            case DIRECTORY:
                ParentDir sub = parent.subdir(name);
                if (oneFileSystem && st.device() != rootDevice) {
                    // Keep the mount point itself, empty, as restic and tar do.
                    return directory(path, name, st, sub, filter, rootDevice, true).thenApply(Optional::of);
                }
                return directory(path, name, st, sub, filter, rootDevice, false).thenApply(Optional::of);
            case FILE:
                return file(path, name, st, parent.child(name).orElse(null));
            default:
                return CompletableFuture.completedFuture(special(path, name, type.get(), st));
        }
    }

    /** Saves a directory: lists it, saves its entries, then writes its tree. */
    CompletableFuture<Node> directory(Path path, String name, FileStatus st, ParentDir parent, PathFilter filter,
                                      long rootDevice, boolean contentsLeftOut) throws IOException {
        Node.Builder meta = nodes.metadata(name, NodeType.DIRECTORY, path, st, warnings)
                .times(NodeFactory.ts(atimes.atime(st)), NodeFactory.ts(st.mtime()), NodeFactory.ts(st.ctime()));
        TreeAssembler children = new TreeAssembler();
        if (!contentsLeftOut) {
            List<String> names;
            try {
                names = fs.list(path);
            } catch (IOException e) {
                warnings.add(path, "cannot list directory, saved empty: " + IoReasons.of(e));
                names = new ArrayList<>(); // sorted below, so it must be mutable
            }
            names.sort(Names.ORDER);
            PathFilter inner = filter.enter(path, names, warnings);
            for (String child : names) {
                Path childPath = PathBytes.resolve(path, child);
                FileStatus cst;
                try {
                    cst = fs.lstat(childPath);
                } catch (NoSuchFileException gone) {
                    warnings.add(childPath, "vanished before it could be saved");
                    continue;
                } catch (IOException e) {
                    warnings.add(childPath, "cannot read metadata, not saved: " + IoReasons.of(e));
                    continue;
                }
                if (inner.excludes(childPath, child, cst)) {
                    continue;
                }
                children.add(entry(childPath, child, cst, parent, inner, rootDevice));
            }
        }
        return children.finish().thenApply(bytes -> {
            try {
                ChunkId id = trees.writeEncoded(bytes);
                countDirectory(parent, id);
                return meta.subtree(id).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Writes a tree of already-started entries (also used for the path prefixes above the sources). */
    CompletableFuture<Node> joinTree(List<CompletableFuture<Optional<Node>>> children, Node.Builder meta,
                                     ParentDir parentOfThis, String name) {
        return CompletableFuture.allOf(children.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<Node> list = new ArrayList<>(children.size());
            for (CompletableFuture<Optional<Node>> c : children) {
                c.join().ifPresent(list::add);
            }
            try {
                ChunkId id = trees.write(new Tree(list));
                countDirectory(parentOfThis, id);
                return meta.subtree(id).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void countDirectory(ParentDir previous, ChunkId id) {
        // previous is this directory's own version in the parent snapshot (NONE when new).
        if (previous == ParentDir.NONE) {
            counters.dirsNew.incrementAndGet();
        } else if (previous.sameTree(id)) {
            counters.dirsUnchanged.incrementAndGet();
        } else {
            counters.dirsChanged.incrementAndGet();
        }
    }

    private CompletableFuture<Optional<Node>> file(Path path, String name, FileStatus st, Node previous) throws IOException {
        // Unchanged (same ctime): the parent's xattrs are still the file's; no llistxattr.
        Node.Builder meta = FileArchiver.unchanged(previous, st) ? nodes.metadata(name, NodeType.FILE, st, previous.xattrs())
                : nodes.metadata(name, NodeType.FILE, path, st, warnings);
        if (FileArchiver.unchanged(previous, st) && archiver.stillStored(previous.content())) {
            counters.filesUnchanged.incrementAndGet();
            counters.filesDone.incrementAndGet();
            counters.bytesDone.addAndGet(st.size());
            return CompletableFuture.completedFuture(Optional.of(meta.content(previous.content()).build()));
        }
        CompletableFuture<FileArchiver.Saved> saved;
        if (st.links() > 1) {
            String key = st.device() + ":" + st.inode();
            CompletableFuture<FileArchiver.Saved> mine = new CompletableFuture<>();
            CompletableFuture<FileArchiver.Saved> first = hardLinks.putIfAbsent(key, mine);
            if (first != null) {
                // Another name of the same inode: one read serves every name.
                return first.thenApply(s -> s == null ? Optional.<Node>empty()
                        : Optional.of(withSaved(nodes.metadata(name, NodeType.FILE, path, s.status(), warnings), s)));
            }
            saved = submit(path, st, previous);
            saved.whenComplete((s, e) -> {
                if (e != null) {
                    mine.completeExceptionally(e);
                } else {
                    mine.complete(s);
                }
            });
        } else {
            saved = submit(path, st, previous);
        }
        return saved.thenApply(s -> {
            if (s == null) {
                return Optional.<Node>empty();
            }
            Node.Builder b = s.status() == st ? meta : nodes.metadata(name, NodeType.FILE, path, s.status(), warnings);
            return Optional.of(withSaved(b, s));
        });
    }

    private static Node withSaved(Node.Builder b, FileArchiver.Saved s) {
        return b.content(s.content()).flags(s.flags()).build();
    }

    /** Saves a file's content on the pool; completes with null when the file cannot be read. */
    private CompletableFuture<FileArchiver.Saved> submit(Path path, FileStatus st, Node previous) throws IOException {
        try {
            ahead.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                FileArchiver.Saved s = archiver.save(path, st);
                if (previous == null) {
                    counters.filesNew.incrementAndGet();
                } else {
                    counters.filesChanged.incrementAndGet();
                }
                counters.bytesDone.addAndGet(s.content().size());
                return s;
            } catch (SourceReadException | NoSuchFileException e) {
                warnings.add(path, e instanceof NoSuchFileException ? "vanished before it could be read" : e.getMessage());
                return null;
            } catch (IOException e) {
                throw new CompletionException(e);
            } finally {
                counters.filesDone.incrementAndGet();
                ahead.release();
            }
        }, pool);
    }

    private Optional<Node> special(Path path, String name, NodeType type, FileStatus st) {
        Node.Builder b = nodes.metadata(name, type, path, st, warnings);
        if (type == NodeType.SYMLINK) {
            try {
                b.linkTarget(fs.readLink(path));
            } catch (IOException e) {
                warnings.add(path, "cannot read symlink, not saved: " + IoReasons.of(e));
                return Optional.empty();
            }
        }
        counters.filesDone.incrementAndGet();
        return Optional.of(b.build());
    }

    static <T> T join(CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException) {
                throw ((UncheckedIOException) c).getCause();
            }
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException(Objects.requireNonNullElse(c, e));
        }
    }
}
