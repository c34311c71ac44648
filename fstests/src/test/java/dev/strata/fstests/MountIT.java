package dev.strata.fstests;

import dev.strata.core.posix.Posix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One repository, one source folder, one real mount (a `strata mount` process), many checks: the
 * mounted latest snapshot is the source, writes are refused, concurrent readers get the right
 * bytes, cp -a out of the mount restores, a new snapshot appears while mounted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MountIT {
    private Path dir;
    private Path source;
    private Strata strata;
    private MountProcess mount;
    private Path latest;

    @BeforeAll
    void mountABackup() throws Exception {
        dir = Files.createTempDirectory("strata-mount-it");
        source = SourceTree.create(dir.resolve("source"));
        strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("backup", "--quiet", source.toString()).ok();
        mount = MountProcess.start(strata, dir.resolve("mnt"));
        Path snapshots = mount.mountpoint.resolve("snapshots");
        try (Stream<Path> sources = Files.list(snapshots)) {
            Path link = sources.findFirst().orElseThrow().resolve("latest");
            // The snapshot's own folder: walking or copying `latest` itself would see only a symlink.
            latest = link.resolveSibling(Files.readSymbolicLink(link));
        }
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(dev.strata.fuse.FuseMount.isMounted(mount.mountpoint)).isFalse();
        }
        TempDirs.delete(dir);
    }

    @Test
    void latestSnapshotEqualsItsSource() throws IOException {
        assertThat(TreeCompare.differences(source, latest)).isEmpty();
    }

    @Test
    void hardLinksShareOneInodeAndSparseFilesStaySparse() throws IOException {
        Posix posix = Posix.get();
        long a = posix.lstat(latest.resolve("data/shared.txt")).inode();
        assertThat(posix.lstat(latest.resolve("docs/shared-link.txt")).inode()).isEqualTo(a);
        assertThat(posix.lstat(latest.resolve("links/shared-again.txt")).inode()).isEqualTo(a);
        assertThat(posix.lstat(latest.resolve("data/shared.txt")).links()).isEqualTo(3);
        long sourceBlocks = posix.lstat(source.resolve(SourceTree.SPARSE)).blocks();
        long mountedBlocks = posix.lstat(latest.resolve(SourceTree.SPARSE)).blocks();
        assertThat(mountedBlocks).isLessThanOrEqualTo(sourceBlocks + 64).isLessThan((64L << 20) / 512 / 10);
    }

    @Test
    void everyWriteFailsWithErofs() {
        Path file = latest.resolve("docs/readme.txt");
        List<Callable<Object>> writes = List.of(
                () -> Files.writeString(latest.resolve("new.txt"), "x"),
                () -> Files.writeString(file, "x", StandardOpenOption.APPEND),
                () -> Files.newByteChannel(file, StandardOpenOption.WRITE),
                () -> Files.createDirectory(latest.resolve("newdir")),
                () -> { Files.delete(file); return null; },
                () -> Files.move(file, latest.resolve("moved.txt")),
                () -> Files.createSymbolicLink(latest.resolve("sym"), file),
                () -> Files.createLink(latest.resolve("hard"), file),
                () -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx")),
                () -> Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0)),
                () -> { Posix.get().setXattr(file, "user.new", new byte[]{1}); return null; },
                () -> { Posix.get().removeXattr(file, "user.colour"); return null; },
                () -> { Posix.get().lchown(file, 1, 1); return null; },
                () -> { Posix.get().mkfifo(latest.resolve("fifo2"), 0600); return null; },
                () -> { try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) { r.setLength(0); } return null; },
                () -> Files.writeString(mount.mountpoint.resolve("at-the-root"), "x"));
        for (Callable<Object> w : writes) {
            assertThatThrownBy(w::call).satisfies(e -> assertThat(describe(e)).containsIgnoringCase("read-only file system"));
        }
        assertThat(sha256Quietly(file)).isEqualTo(sha256Quietly(source.resolve("docs/readme.txt")));
    }

    private static String describe(Throwable e) {
        String m = e instanceof FileSystemException f ? f.getReason() + " " + f.getMessage() : e.getMessage();
        return String.valueOf(m) + " (" + e.getClass().getSimpleName() + ")";
    }

    private static String sha256Quietly(Path p) {
        try {
            return TreeCompare.sha256(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eightConcurrentReadersGetCorrectBytes() throws Exception {
        byte[] expected = Files.readAllBytes(source.resolve(SourceTree.LARGE));
        Path mounted = latest.resolve(SourceTree.LARGE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                long seed = r;
                readers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int checked = 0;
                    try (RandomAccessFile f = new RandomAccessFile(mounted.toFile(), "r")) {
                        for (int i = 0; i < 40; i++) {
                            int len = 1 + random.nextInt(1 << 20);
                            int at = random.nextInt(expected.length - len);
                            byte[] got = new byte[len];
                            f.seek(at);
                            f.readFully(got);
                            if (!Arrays.equals(got, 0, len, expected, at, at + len)) {
                                throw new AssertionError("reader " + seed + ": wrong bytes at " + at + "+" + len);
                            }
                            checked += len;
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : readers) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cpArchiveOfASubtreeEqualsTheSource() throws Exception {
        Path target = dir.resolve("copied");
        Process cp = new ProcessBuilder("cp", "-a", latest.resolve("docs").toString(), target.toString())
                .redirectErrorStream(true).start();
        assertThat(cp.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(cp.exitValue()).as(new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(TreeCompare.differences(source.resolve("docs"), target)).isEmpty();
        Path whole = dir.resolve("copied-all");
        cp = new ProcessBuilder("cp", "-a", latest.toString(), whole.toString()).redirectErrorStream(true).start();
        assertThat(cp.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(cp.exitValue()).as(new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(TreeCompare.differences(source, whole)).isEmpty();
    }

    @Test
    void aSnapshotTakenWhileMountedAppears() throws Exception {
        Path sourceFolder = latest.getParent();
        long before;
        try (Stream<Path> s = Files.list(sourceFolder)) {
            before = s.count();
        }
        Path extra = dir.resolve("second-source");
        Files.createDirectories(extra);
        Files.writeString(extra.resolve("hello.txt"), "made while mounted");
        strata.run("backup", "--quiet", extra.toString()).ok();
        strata.run("backup", "--quiet", source.toString()).ok();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long after = before;
        while (after <= before && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try (Stream<Path> s = Files.list(sourceFolder)) {
                after = s.count();
            }
        }
        assertThat(after).isEqualTo(before + 1);
        String extraSource = null;
        try (Stream<Path> s = Files.list(mount.mountpoint.resolve("snapshots"))) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().contains("second-source")) {
                    extraSource = p.getFileName().toString();
                }
            }
        }
        assertThat(extraSource).as("the new source is listed").isNotNull();
        assertThat(Files.readString(mount.mountpoint.resolve("snapshots/" + extraSource + "/latest/hello.txt")))
                .isEqualTo("made while mounted");
    }

    @Test
    void versionsListEachFileOnceWhenUnchanged() throws IOException {
        Path versions;
        try (Stream<Path> s = Files.list(mount.mountpoint.resolve("versions"))) {
            versions = s.filter(p -> p.getFileName().toString().equals(latest.getParent().getFileName().toString()))
                    .findFirst().orElseThrow();
        }
        try (Stream<Path> s = Files.list(versions.resolve("docs/readme.txt"))) {
            List<Path> all = s.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).endsWith(".txt");
            assertThat(TreeCompare.sha256(all.get(0))).isEqualTo(TreeCompare.sha256(source.resolve("docs/readme.txt")));
        }
    }
}
