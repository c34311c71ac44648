package dev.strata.snapshot.archive;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.restore.RestoreRequest;
import dev.strata.snapshot.restore.RestoreResult;
import dev.strata.snapshot.restore.Restorer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tar of 200,200 entries, generated on the fly into a pipe, is imported in a JVM with a 64 MiB heap
 * (the import once held a node per entry until the archive ended, and ran out of memory here), once in
 * the order tar writes (folder by folder, names unsorted) and once with the folders' entries
 * interleaved and their folder entries last; the snapshot holds every entry, with contents, symlinks,
 * hard links and folder metadata, and a part of it restores.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TarImportSmallHeapTest {
    static final int FOLDERS = 200;
    static final int PER_FOLDER = 1000;
    static final int ENTRIES = FOLDERS * (PER_FOLDER + 1);
    static final Instant FOLDER_TIME = Instant.parse("2020-05-06T07:08:09Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"folder-order", "interleaved"})
    void aTarOf200200Entries_isImportedWithA64MiBHeap(String order) throws Exception {
        Path repoDir = dir.resolve("r");
        TestRepositories.local(repoDir).init().open(LockMode.WRITE).close();
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m", "-XX:+UseSerialGC"), Child.class, dir,
                repoDir.toString(), order)) {
            int exit = child.waitFor(Duration.ofSeconds(560));
            assertThat(exit).as("child: %s", child.stderr()).isZero();
            assertThat(child.allLines(Duration.ofSeconds(5))).contains("warnings 0");
        }

        try (Repository repo = TestRepositories.local(repoDir).open(LockMode.READ)) {
            TreeStore trees = new TreeStore(repo.store());
            Snapshot s = new Snapshots(repo).list().get(0);
            assertThat(s.summary().totalFiles()).isEqualTo(expectedRegularFiles());
            assertThat(s.summary().dirsNew()).isEqualTo(FOLDERS);
            assertThat(countEntries(trees, s.tree())).isEqualTo(ENTRIES);

            Node folder = TreePaths.find(trees, s.tree(), "d123").orElseThrow();
            assertThat(folder.mtime().toInstant()).isEqualTo(FOLDER_TIME);
            assertThat(folder.mode()).isEqualTo(0750);
            assertThat(content(trees, TreePaths.find(trees, s.tree(), "d123/f0040").orElseThrow()))
                    .isEqualTo(contentOf(123, 40));
            Node link = TreePaths.find(trees, s.tree(), "d123/f0041").orElseThrow();
            assertThat(link.type()).isEqualTo(NodeType.SYMLINK);
            assertThat(new String(link.linkTarget(), StandardCharsets.UTF_8)).isEqualTo("f0040");
            Node hard = TreePaths.find(trees, s.tree(), "d123/f0042").orElseThrow();
            Node target = TreePaths.find(trees, s.tree(), "d122/f0040").orElseThrow();
            assertThat(hard.links()).isEqualTo(2);
            assertThat(target.links()).isEqualTo(2);
            assertThat(hard.inode()).isEqualTo(target.inode());
            assertThat(content(trees, hard)).isEqualTo(contentOf(122, 40));
            assertThat(TreePaths.find(trees, s.tree(), "d000/f0003").orElseThrow().size()).isZero();

            Path restored = dir.resolve("restored");
            Node part = TreePaths.find(trees, s.tree(), "d007").orElseThrow();
            RestoreResult r = new Restorer(trees).run(RestoreRequest.of(part.subtree(), restored), Restorer.Progress.NONE);
            assertThat(r.clean()).as("%s %s", r.problems(), r.damaged()).isTrue();
            try (Stream<Path> names = Files.list(restored)) {
                assertThat(names.count()).isEqualTo(PER_FOLDER);
            }
            assertThat(Files.readString(restored.resolve("f0990"))).isEqualTo(new String(contentOf(7, 990), StandardCharsets.UTF_8));
            assertThat(Files.readString(restored.resolve("f0992"))).isEqualTo(new String(contentOf(6, 990), StandardCharsets.UTF_8));
            assertThat(Files.readSymbolicLink(restored.resolve("f0991")).toString()).isEqualTo("f0990");
        }
    }

    /** Files with content, plus the empty ones; hard links are names of files already counted. */
    private static long expectedRegularFiles() {
        long n = 0;
        for (int f = 0; f < FOLDERS; f++) {
            for (int i = 0; i < PER_FOLDER; i++) {
                if (kind(f, i) == 'f' || kind(f, i) == 'e') {
                    n++;
                }
            }
        }
        return n;
    }

    private static long countEntries(TreeStore trees, dev.strata.core.id.ChunkId tree) throws IOException {
        long n = 0;
        List<Node> folders = new ArrayList<>();
        for (Node node : trees.nodes(tree)) {
            n++;
            if (node.isDirectory()) {
                folders.add(node);
            }
        }
        for (Node f : folders) {
            n += countEntries(trees, f.subtree());
        }
        return n;
    }

    private static byte[] content(TreeStore trees, Node file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChunkRef r : trees.refs(file.content())) {
            out.write(trees.chunks().get(r.id()));
        }
        return out.toByteArray();
    }

    /** What entry {@code i} of folder {@code f} is: 'f' a file with content, 's' a symlink, 'h' a hard link, 'e' an empty file. */
    static char kind(int f, int i) {
        return switch (i % 10) {
            case 0 -> 'f';
            case 1 -> 's';
            case 2 -> f > 0 ? 'h' : 'e';
            default -> 'e';
        };
    }

    static byte[] contentOf(int f, int i) {
        return ("content of d%03d/f%04d\n".formatted(f, i)).repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8);
    }

    /** In the small JVM: writes the tar into a pipe on one thread and imports it from the pipe on this one. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            boolean interleaved = args[1].equals("interleaved");
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream pipe = new PipedOutputStream(in);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (OutputStream o = pipe) {
                    write(o, interleaved);
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "tar-writer");
            writer.start();
            try (Repository repo = TestRepositories.local(Path.of(args[0])).open(LockMode.WRITE)) {
                ImportResult r = new TarImport(repo).run(in, List.of(), null, null, n -> { });
                System.out.println("warnings " + r.warnings().size());
                r.warnings().stream().limit(10).forEach(System.out::println);
            }
            writer.join();
            if (failed.get() != null) {
                throw new IllegalStateException("writing the tar failed", failed.get());
            }
        }

        private static void write(OutputStream o, boolean interleaved) throws IOException {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                if (interleaved) {
                    for (int n = 0; n < PER_FOLDER; n++) {
                        for (int f = 0; f < FOLDERS; f++) {
                            entry(tar, f, unsorted(n));
                        }
                    }
                    for (int f = FOLDERS - 1; f >= 0; f--) {
                        folder(tar, f);
                    }
                } else {
                    for (int f = 0; f < FOLDERS; f++) {
                        folder(tar, f);
                        for (int n = 0; n < PER_FOLDER; n++) {
                            entry(tar, f, unsorted(n));
                        }
                    }
                }
            }
        }

        /**
         * The n-th name of a folder in the tar: blocks of ten in a fixed shuffle, as a folder listing is in
         * no order; in order within a block, so a hard link's target (two before it) comes first.
         */
        private static int unsorted(int n) {
            return (n / 10 * 37) % (PER_FOLDER / 10) * 10 + n % 10;
        }

        private static void folder(TarArchiveOutputStream tar, int f) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry("d%03d/".formatted(f));
            e.setMode(040750);
            e.setModTime(java.nio.file.attribute.FileTime.from(FOLDER_TIME));
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }

        private static void entry(TarArchiveOutputStream tar, int f, int i) throws IOException {
            String name = "d%03d/f%04d".formatted(f, i);
            TarArchiveEntry e;
            switch (kind(f, i)) {
                case 's' -> {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName("f%04d".formatted(i - 1));
                }
                case 'h' -> {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                    e.setLinkName("d%03d/f%04d".formatted(f - 1, i - 2));
                }
                default -> {
                    e = new TarArchiveEntry(name);
                    e.setSize(kind(f, i) == 'f' ? contentOf(f, i).length : 0);
                }
            }
            e.setModTime(1_600_000_000_000L + i);
            tar.putArchiveEntry(e);
            if (kind(f, i) == 'f') {
                tar.write(contentOf(f, i));
            }
            tar.closeArchiveEntry();
        }
    }
}
