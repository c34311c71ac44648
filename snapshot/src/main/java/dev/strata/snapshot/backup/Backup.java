package dev.strata.snapshot.backup;

import dev.strata.core.posix.ProcessIdentity;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.PutStats;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backup: walks the given paths, saves what changed since the parent snapshot, makes it durable,
 * and writes the snapshot record last. Unreadable files become warnings; the snapshot still
 * completes. Confined to one thread (it starts its own workers).
 */
public final class Backup {
    private final Repository repo;
    private final Snapshots snapshots;
    private final TreeStore trees;
    private final SourceFs fs;

    public Backup(Repository repo, SourceFs fs) {
        this.repo = repo;
        this.snapshots = new Snapshots(repo);
        this.trees = new TreeStore(repo.store());
        this.fs = fs;
    }

    public BackupResult run(BackupRequest req, BackupCounters counters, BackupProgress progress) throws IOException {
        Instant start = repo.clock().instant();
        List<Path> paths = normalise(req.paths());
        TreeMap<Path, FileStatus> sources = new TreeMap<>();
        for (Path p : paths) {
            try {
                sources.put(p, fs.lstat(p));
            } catch (NoSuchFileException e) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "cannot back up " + p + ": it does not exist");
            }
        }
        String host = req.host() != null ? req.host() : repo.host().host();
        Optional<Snapshot> parent = findParent(req, host, paths);
        Warnings warnings = new Warnings(progress::warning);
        PutStats before = repo.store().stats();
        int threads = req.threads() > 0 ? req.threads() : Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-backup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ChunkId root;
        DirectoryAtimes atimes = new DirectoryAtimes();
        Thread scanner = null;
        SnapshotSummary previous = parent.map(Snapshot::summary).orElse(SnapshotSummary.NONE);
        if (previous.totalFiles() > 0) {
            // Progress of an incremental backup is measured against what its parent held: walking the
            // tree a second time for exact totals would cost one more lstat per entry.
            progress.totals(previous.totalFiles(), previous.totalBytes());
        } else {
            scanner = new Thread(new Scanner(fs, paths, req.filter(), progress, atimes), "strata-scan");
            scanner.setDaemon(true);
            scanner.start();
        }
        try {
            SourceWalker walker = new SourceWalker(fs, trees, pool, 64 * threads, counters, warnings, req.oneFileSystem(), atimes);
            ParentDir parentRoot = parent.isPresent() ? ParentDir.of(trees, parent.get().tree()) : ParentDir.NONE;
            if (paths.size() == 1 && paths.get(0).getNameCount() == 0) {
                // Backing up / itself: the snapshot's root tree is the tree of /.
                FileStatus st = sources.get(paths.get(0));
                root = SourceWalker.join(walker.directory(paths.get(0), "root", st, parentRoot, req.filter(),
                        st.device(), false)).subtree();
            } else {
                List<CompletableFuture<Optional<Node>>> top = new ArrayList<>();
                for (PathTrie.Child c : PathTrie.of(sources.keySet()).children()) {
                    top.add(walk(walker, c, Path.of("/"), parentRoot, req.filter(), sources, warnings));
                }
                List<Node> nodes = new ArrayList<>();
                for (CompletableFuture<Optional<Node>> f : top) {
                    SourceWalker.join(f).ifPresent(nodes::add);
                }
                root = trees.write(new Tree(nodes));
            }
            repo.store().flush();
        } finally {
            pool.shutdownNow();
            if (scanner != null) {
                scanner.interrupt();
            }
        }
        PutStats after = repo.store().stats();
        Instant end = repo.clock().instant();
        SnapshotSummary summary = new SnapshotSummary(counters.filesNew(), counters.filesChanged(), counters.filesUnchanged(),
                counters.dirsNew.get(), counters.dirsChanged.get(), counters.dirsUnchanged.get(),
                counters.bytesRead(), after.bytesNew() - before.bytesNew(), after.bytesStored() - before.bytesStored(),
                counters.filesDone(), counters.bytesDone(), warnings.count(), counters.changedWhileRead.get(), start, end);
        Snapshot snapshot = new Snapshot(null, SnapshotKind.BACKUP, req.time() != null ? req.time() : start, host,
                repo.host().user(), ProcessIdentity.uid(), ProcessIdentity.gid(), paths.stream().map(Path::toString).toList(), req.tags(),
                parent.map(Snapshot::id).orElse(null), root, req.excludes(), summary, null);
        return new BackupResult(snapshots.save(snapshot), warnings.listed(), counters);
    }

    /**
     * Saves a stream (a database dump piped in) as one file called {@code fileName} at the root of a
     * new snapshot.
     */
    public BackupResult runStdin(java.io.InputStream in, String fileName, BackupRequest req, BackupCounters counters)
            throws IOException {
        if (!dev.strata.core.tree.Names.isSafe(fileName)) {
            throw new UserFacingException(ExitCode.USAGE, "--stdin-filename must be a plain file name, not '" + fileName + "'");
        }
        Instant start = repo.clock().instant();
        PutStats before = repo.store().stats();
        java.util.List<dev.strata.core.store.ChunkRef> refs = repo.store().putStream(
                java.nio.channels.Channels.newChannel(in), n -> {
                    counters.bytesRead.addAndGet(n);
                    counters.bytesDone.addAndGet(n);
                });
        dev.strata.core.tree.FileContent content = trees.storeContent(dev.strata.core.store.ChunkRef.mergeHoles(refs));
        Instant now = repo.clock().instant();
        dev.strata.core.tree.Timestamp t = dev.strata.core.tree.Timestamp.of(now);
        Node node = Node.builder(fileName, NodeType.FILE).mode(0600)
                .owner(ProcessIdentity.uid(), ProcessIdentity.gid(), repo.host().user(), "")
                .times(t, t, t).content(content).build();
        ChunkId root = trees.write(new Tree(List.of(node)));
        repo.store().flush();
        counters.filesNew.incrementAndGet();
        counters.filesDone.incrementAndGet();
        PutStats after = repo.store().stats();
        SnapshotSummary summary = new SnapshotSummary(1, 0, 0, 0, 0, 0, counters.bytesRead(),
                after.bytesNew() - before.bytesNew(), after.bytesStored() - before.bytesStored(), 1, content.size(),
                0, 0, start, now);
        String host = req.host() != null ? req.host() : repo.host().host();
        Snapshot snapshot = new Snapshot(null, SnapshotKind.BACKUP, req.time() != null ? req.time() : start, host,
                repo.host().user(), ProcessIdentity.uid(), ProcessIdentity.gid(), List.of("/" + fileName), req.tags(), null, root,
                List.of(), summary, null);
        return new BackupResult(snapshots.save(snapshot), List.of(), counters);
    }

    /** Saves one branch of the path trie: a source path fully, or a prefix folder holding sources below it. */
    private CompletableFuture<Optional<Node>> walk(SourceWalker walker, PathTrie.Child c, Path dir, ParentDir parent,
                                                   PathFilter filter, TreeMap<Path, FileStatus> sources, Warnings warnings)
            throws IOException {
        Path path = PathBytes.resolve(dir, c.name());
        if (c.isSource()) {
            FileStatus st = sources.get(path);
            return walker.entry(path, c.name(), st, parent, filter, st.device());
        }
        FileStatus st = fs.lstat(path);
        Node.Builder meta = new NodeFactory(fs).metadata(c.name(), NodeType.DIRECTORY, path, st, warnings);
        ParentDir sub = parent.subdir(c.name());
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>();
        for (PathTrie.Child child : c.children()) {
            children.add(walk(walker, child, path, sub, filter, sources, warnings));
        }
        return walker.joinTree(children, meta, sub, c.name()).thenApply(Optional::of);
    }

    private Optional<Snapshot> findParent(BackupRequest req, String host, List<Path> paths) throws IOException {
        if (req.noParent()) {
            return Optional.empty();
        }
        if (req.parent() != null) {
            return Optional.of(snapshots.load(req.parent()));
        }
        List<String> wanted = paths.stream().map(Path::toString).sorted().toList();
        Snapshot best = null;
        for (Snapshot s : snapshots.list(new ArrayList<>())) {
            if (s.kind() == SnapshotKind.BACKUP && s.host().equals(host)
                    && s.paths().stream().sorted().toList().equals(wanted)
                    && (best == null || s.time().isAfter(best.time()))) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<Path> normalise(List<Path> given) throws UserFacingException {
        if (given.isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "nothing to back up: name at least one path");
        }
        List<Path> abs = new ArrayList<>();
        for (Path p : given) {
            abs.add(p.toAbsolutePath().normalize());
        }
        abs.sort(null);
        List<Path> out = new ArrayList<>();
        for (Path p : abs) {
            // A path inside another one given is saved with it.
            if (out.isEmpty() || !p.startsWith(out.get(out.size() - 1))) {
                out.add(p);
            }
        }
        return out;
    }
}
