package dev.strata.snapshot.restore;

import dev.strata.core.id.ChunkId;
import dev.strata.core.posix.DirectoryHandle;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.posix.Posix;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** A restore restores all it can: deep trees, names the target refuses, hard links kept, owners by uid. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestorerTest {
    @TempDir
    Path dir;
    private Repository repo;
    private TreeStore trees;
    private final Posix posix = Posix.get();

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir.resolve("r")).small().init().open(LockMode.WRITE);
        trees = new TreeStore(repo.store());
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    /** Target plus path far beyond Linux's 4,096 bytes per path: every file is restored, none is listed. */
    @Test
    void deepTree_beyondPathMax_isRestoredWhole() throws IOException {
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            segments.add(String.valueOf((char) ('a' + i)).repeat(240));
        }
        Node leaf = file("leaf.txt", "at the bottom");
        ChunkId tree = trees.write(new Tree(List.of(leaf)));
        for (int i = segments.size() - 1; i >= 0; i--) {
            List<Node> entries = new ArrayList<>(List.of(folder(segments.get(i), tree)));
            entries.add(file("file-" + i + ".txt", "level " + i));
            tree = trees.write(new Tree(entries));
        }
        repo.store().flush();
        Path target = dir.resolve("t".repeat(200)).resolve("u".repeat(200));

        try {
            RestoreResult r = new Restorer(trees).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);

            assertThat(r.problems()).isEmpty();
            assertThat(r.clean()).isTrue();
            assertThat(r.filesRestored()).isEqualTo(17);
            assertThat(r.dirs()).isEqualTo(16);
            assertThat(PathBytes.of(target).length + 16 * 241).isGreaterThan(4096);
            assertThat(readDeep(target, segments, "leaf.txt")).isEqualTo("at the bottom");
            assertThat(readDeep(target, segments.subList(0, 15), "file-15.txt")).isEqualTo("level 15");
        } finally {
            removeDeep(dir.resolve("t".repeat(200)));
        }
    }

    /** JUnit's own clean-up walks by full paths, which fail beyond 4,096 bytes; rm does not. */
    private static void removeDeep(Path p) throws IOException {
        try {
            Process rm = new ProcessBuilder("rm", "-rf", "--", p.toString()).inheritIO().start();
            assertThat(rm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A folder whose name the filesystem refuses (over 255 bytes): it is listed, the rest is restored. */
    @Test
    void aNameTheTargetRefuses_isListedWithItsReason_andEverythingElseIsRestored() throws IOException {
        ChunkId inner = trees.write(new Tree(List.of(file("inside.txt", "cannot be made"))));
        List<Node> entries = new ArrayList<>();
        entries.add(folder("x".repeat(300), inner));
        for (int i = 0; i < 14; i++) {
            entries.add(file("f" + i + ".txt", "file " + i));
        }
        ChunkId tree = trees.write(new Tree(entries));
        repo.store().flush();
        Path target = dir.resolve("target");

        RestoreResult r = new Restorer(trees).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);

        assertThat(r.filesRestored()).isEqualTo(14);
        assertThat(r.problems()).singleElement().asString()
                .contains("x".repeat(300) + ": folder not restored, nor anything in it: ", "File name too long");
        assertThat(r.diskFull()).isFalse();
        assertThat(Files.readString(target.resolve("f13.txt"))).isEqualTo("file 13");
    }

    @Test
    void secondRestore_keepsTheExtraNamesOfHardLinks() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("a"), "shared content");
        Files.createLink(src.resolve("b"), src.resolve("a"));
        Files.createLink(src.resolve("c"), src.resolve("a"));
        new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
        ChunkId tree = new Snapshots(repo).list().get(0).tree();
        Path target = dir.resolve("target");
        RestoreResult first = new Restorer(trees).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);
        assertThat(first.filesRestored()).isEqualTo(3);
        Path restored = target.resolve(src.toString().substring(1));
        FileStatus before = posix.lstat(restored.resolve("b"));

        RestoreResult second = new Restorer(trees).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);

        assertThat(second.filesRestored()).as("nothing re-created").isZero();
        assertThat(second.filesSkipped()).isEqualTo(3);
        FileStatus after = posix.lstat(restored.resolve("b"));
        assertThat(after.inode()).isEqualTo(before.inode());
        assertThat(after.links()).isEqualTo(3);
    }

    /**
     * An empty target holds nothing that could be in the way: folders, files, hard links and symlinks
     * are created without looking first (no lstat per entry), and all of them come back whole.
     */
    @Test
    void intoAnEmptyTarget_nothingIsLookedAtFirst_andEverythingIsRestored() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        for (int d = 0; d < 3; d++) {
            Path sub = Files.createDirectories(src.resolve("d" + d).resolve("inner"));
            for (int i = 0; i < 40; i++) {
                Files.writeString(sub.resolve("f" + i + ".txt"), "folder " + d + " file " + i);
            }
        }
        byte[] big = new byte[(3 << 20) + 5];
        new java.util.Random(1).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.writeString(src.resolve("a"), "linked");
        Files.createLink(src.resolve("b"), src.resolve("a"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("d0/inner/f1.txt"));
        new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
        ChunkId tree = new Snapshots(repo).list().get(0).tree();
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        EntryProbe counting = p -> {
            looks.incrementAndGet();
            return EntryProbe.of(posix).lstatOrNull(p);
        };
        Path target = dir.resolve("target");

        RestoreResult r = new Restorer(trees, counting).run(RestoreRequest.of(tree, target).withVerify(true), Restorer.Progress.NONE);

        assertThat(r.clean()).isTrue();
        assertThat(r.filesRestored()).isEqualTo(3 * 40 + 3);
        assertThat(looks.get()).as("lstat calls on an empty target").isZero();
        Path restored = target.resolve(src.toString().substring(1));
        assertThat(Files.readString(restored.resolve("d2/inner/f39.txt"))).isEqualTo("folder 2 file 39");
        assertThat(Files.readAllBytes(restored.resolve("big.bin"))).isEqualTo(big);
        assertThat(posix.lstat(restored.resolve("b")).inode()).isEqualTo(posix.lstat(restored.resolve("a")).inode());
        assertThat(Files.readSymbolicLink(restored.resolve("link"))).isEqualTo(Path.of("d0/inner/f1.txt"));
        assertThat(posix.lstat(restored.resolve("d1/inner/f3.txt")).mtime()).isEqualTo(posix.lstat(src.resolve("d1/inner/f3.txt")).mtime());
    }

    /**
     * Chunks are read pack by pack, not file by file: restoring hundreds of small files costs about one
     * ranged read per pack (and one per folder's tree), and every file, a chunk shared by several files
     * and a sparse file's holes come back exactly.
     */
    @Test
    void manySmallFiles_eachPackIsReadOnce_andEveryFileIsRestoredExactly() throws IOException {
        FaultInjectingBackend counted = new FaultInjectingBackend(new LocalBackend(dir.resolve("counted/repo")));
        TestRepositories.Fixture fixture = TestRepositories.on(counted, dir.resolve("counted/cache")).small().init();
        Path src = Files.createDirectories(dir.resolve("many"));
        java.util.Random random = new java.util.Random(7);
        int files = 0;
        for (int d = 0; d < 3; d++) {
            Path sub = Files.createDirectories(src.resolve("d" + d));
            for (int i = 0; i < 100; i++) {
                byte[] b = new byte[2000 + random.nextInt(6000)];
                random.nextBytes(b);
                Files.write(sub.resolve("f" + i), b);
                files++;
            }
        }
        byte[] shared = new byte[300_000];
        random.nextBytes(shared);
        Files.write(src.resolve("copy1"), shared);
        Files.write(src.resolve("copy2"), shared);
        byte[] tail = new byte[70_000];
        random.nextBytes(tail);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src.resolve("sparse"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(tail), 8L << 20);
            ch.truncate(16L << 20);
        }
        ChunkId tree;
        try (Repository r = fixture.open(LockMode.WRITE)) {
            new Backup(r, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
            tree = new Snapshots(r).list().get(0).tree();
        }
        long packs = counted.list(dev.strata.core.backend.BlobType.PACK).size();
        Path target = dir.resolve("restored-many");
        RestoreResult result;
        long reads;
        try (Repository r = fixture.open(LockMode.READ)) {
            long before = counted.calls(FaultInjectingBackend.Operation.READ);
            result = new Restorer(new TreeStore(r.store())).run(RestoreRequest.of(tree, target).withVerify(true), Restorer.Progress.NONE);
            reads = counted.calls(FaultInjectingBackend.Operation.READ) - before;
        }

        assertThat(result.clean()).isTrue();
        assertThat(result.filesRestored()).isEqualTo(files + 3);
        // One read per folder's tree (the walk reaches them one by one: the source's path, its three
        // folders) and one per data pack, where reading file by file took one per file (over 300).
        int trees = 1 + src.getNameCount() + 3;
        assertThat(reads).as("ranged reads for %d packs and %d trees", packs, trees).isLessThanOrEqualTo(packs + trees);
        Path restored = target.resolve(src.toString().substring(1));
        assertThat(contents(restored)).isEqualTo(contents(src));
        assertThat(posix.dataExtents(restored.resolve("sparse")).stream().mapToLong(e -> e.end() - e.offset()).sum())
                .as("bytes stored for a 16 MiB file with 70 kB of data").isLessThan(1 << 20);
    }

    /** Every regular file under {@code root} with the sha-256 of its bytes. */
    private static java.util.Map<String, String> contents(Path root) throws IOException {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                try {
                    byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    m.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(h));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return m;
    }

    /** A target that already holds entries is looked at: a changed file, a folder and a link in the way are replaced. */
    @Test
    void intoATargetWithEntriesInTheWay_theyAreLookedAt_andReplaced() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/changed.txt"), "the snapshot's text");
        Files.writeString(src.resolve("sub/kept.txt"), "same");
        Files.writeString(src.resolve("plain"), "a file where the target has a symlink");
        new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
        ChunkId tree = new Snapshots(repo).list().get(0).tree();
        Path target = dir.resolve("target");
        Path restored = target.resolve(src.toString().substring(1));
        new Restorer(trees).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);
        Files.writeString(restored.resolve("sub/changed.txt"), "edited since, and longer");
        Files.delete(restored.resolve("plain"));
        Files.createSymbolicLink(restored.resolve("plain"), Path.of("sub/kept.txt"));
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        EntryProbe counting = p -> {
            looks.incrementAndGet();
            return EntryProbe.of(posix).lstatOrNull(p);
        };

        RestoreResult r = new Restorer(trees, counting).run(RestoreRequest.of(tree, target), Restorer.Progress.NONE);

        assertThat(r.clean()).isTrue();
        assertThat(r.filesRestored()).isEqualTo(2);
        assertThat(r.filesSkipped()).isEqualTo(1);
        assertThat(looks.get()).isPositive();
        assertThat(Files.readString(restored.resolve("sub/changed.txt"))).isEqualTo("the snapshot's text");
        assertThat(Files.isSymbolicLink(restored.resolve("plain"))).isFalse();
        assertThat(Files.readString(restored.resolve("plain"))).isEqualTo("a file where the target has a symlink");
    }

    @Test
    void owners_areRestoredWhenTheEffectiveUidIsZero_whateverTheUserIsCalled() throws IOException {
        assumeThat(posix.effectiveUid()).as("runs as root").isZero();
        Node owned = Node.builder("owned.txt", NodeType.FILE).mode(0640).owner(4242, 4343, "", "")
                .content(content("mine")).build();
        ChunkId tree = trees.write(new Tree(List.of(owned)));
        repo.store().flush();
        String name = System.getProperty("user.name");
        System.setProperty("user.name", "admin"); // uid 0 under another name (a renamed root, a container)
        try {
            RestoreRequest req = RestoreRequest.of(tree, dir.resolve("target"));
            assertThat(req.owners()).isTrue();
            new Restorer(trees).run(req, Restorer.Progress.NONE);
        } finally {
            System.setProperty("user.name", name);
        }
        FileStatus st = posix.lstat(dir.resolve("target/owned.txt"));
        assertThat(st.uid()).isEqualTo(4242);
        assertThat(st.gid()).isEqualTo(4343);
    }

    private Node file(String name, String text) throws IOException {
        return Node.builder(name, NodeType.FILE).mode(0644).content(content(text)).build();
    }

    private dev.strata.core.tree.FileContent content(String text) throws IOException {
        ChunkRef ref = repo.store().putDataChunk(text.getBytes(StandardCharsets.UTF_8));
        return trees.storeContent(List.of(ref));
    }

    private static Node folder(String name, ChunkId subtree) {
        return Node.builder(name, NodeType.DIRECTORY).mode(0755).subtree(subtree).build();
    }

    /** Reads a file below {@code root} however deep, holding a folder open whenever the path grows long. */
    private String readDeep(Path root, List<String> segments, String file) throws IOException {
        List<DirectoryHandle> handles = new ArrayList<>();
        try {
            Path at = root;
            for (String s : segments) {
                at = at.resolve(s);
                if (PathBytes.of(at).length > 3000) {
                    DirectoryHandle h = posix.openDirectory(at);
                    handles.add(h);
                    at = h.path();
                }
            }
            return Files.readString(at.resolve(file));
        } finally {
            handles.forEach(DirectoryHandle::close);
        }
    }
}
