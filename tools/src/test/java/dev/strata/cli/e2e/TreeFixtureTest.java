package dev.strata.cli.e2e;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture really holds every kind of metadata, and the comparison notices each kind of difference. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TreeFixtureTest {
    @TempDir
    Path tmp;
    Path a;
    Path b;
    final Posix posix = Posix.get();

    @BeforeEach
    void setUp() throws IOException {
        a = TreeFixture.everything(7).createOn(tmp.resolve("a"));
        b = TreeFixture.everything(7).createOn(tmp.resolve("b"));
    }

    @Test
    void everything_holdsEveryKindOfEntryAndMetadata() throws IOException {
        TreeComparison.Manifest m = TreeComparison.scan(a);
        assertThat(m.entries().values()).extracting(TreeComparison.Entry::type)
                .contains("file", "dir", "symlink", "fifo", "socket", "char device", "block device");
        FileStatus sparse = posix.lstat(a.resolve("sparse.img"));
        assertThat(sparse.size()).isEqualTo(64L << 20);
        assertThat(sparse.blocks() * 512).as("the sparse file allocates little").isLessThan(1 << 20);
        assertThat(posix.lstat(a.resolve("setuid")).permissions()).isEqualTo(04755);
        assertThat(posix.lstat(a.resolve("setgid")).permissions()).isEqualTo(02711);
        assertThat(posix.lstat(a.resolve("sticky")).permissions()).isEqualTo(01777);
        assertThat(posix.lstat(a.resolve("big.bin")).uid()).isEqualTo(1234);
        assertThat(posix.lstat(a.resolve("links/original")).links()).isEqualTo(3);
        assertThat(posix.lstat(a.resolve("special/chardev")).rdevMajor()).isEqualTo(42);
        assertThat(m.entries().get("acl.txt").xattrs()).containsKey("system.posix_acl_access");
        assertThat(m.entries().get("xattr-dir").xattrs()).containsKeys("system.posix_acl_default", "user.dir");
        assertThat(m.entries().get("ancient").mtime()).isEqualTo(new Timespec(-86_400L, 500_000_000));
        assertThat(m.entries().get("deep").mtime().nanos()).isNotZero();
        assertThat(TreeComparison.linkGroups(m)).containsExactly(
                java.util.Set.of("links/original", "dir with spaces/second name", "special/third name"));
    }

    @Test
    void scan_leavesAtimesAsFound() throws IOException {
        TreeComparison.Manifest first = TreeComparison.scan(a);
        TreeComparison.Manifest second = TreeComparison.scan(a);
        assertThat(TreeComparison.compare(first, second)).isEmpty();
    }

    @Test
    void sameFixtureTwice_isIdentical() throws IOException {
        assertThat(TreeComparison.compare(TreeComparison.scan(a), TreeComparison.scan(b))).isEmpty();
    }

    @Test
    void comparison_noticesEachKindOfDifference() throws IOException {
        TreeComparison.Manifest expected = TreeComparison.scan(a);
        try (RandomAccessFile raf = new RandomAccessFile(b.resolve("text.log").toFile(), "rw")) {
            raf.seek(1000);
            int x = raf.read();
            raf.seek(1000);
            raf.write(x ^ 1);
        }
        posix.chmod(b.resolve("odd-perms"), 0644);
        posix.lchown(b.resolve("big.bin"), 1234, 5679);
        posix.setXattr(b.resolve("small.txt"), "user.comment", "changed".getBytes());
        Files.delete(b.resolve("links/dangling"));
        Files.createSymbolicLink(b.resolve("links/dangling"), Path.of("elsewhere"));
        Files.delete(b.resolve("special/third name"));
        Files.copy(b.resolve("links/original"), b.resolve("special/third name"));
        try (RandomAccessFile raf = new RandomAccessFile(b.resolve("sparse.img").toFile(), "rw")) {
            raf.seek(30L << 20);
            raf.write(new byte[1 << 20]);
        }
        Files.delete(b.resolve("empty"));
        Files.writeString(b.resolve("extra"), "x");
        posix.setTimes(b.resolve("deep/level-1"), null, new Timespec(1_600_000_000L, 1), false);
        posix.setTimes(b.resolve("small.txt"), new Timespec(5, 5), null, false);

        List<String> diffs = TreeComparison.compare(expected, TreeComparison.scan(b));
        assertThat(String.join("\n", diffs))
                .contains("text.log: content sha256")
                .contains("odd-perms: mode 644, expected 421")
                .contains("big.bin: gid 5679, expected 5678")
                .contains("small.txt: xattrs")
                .contains("links/dangling: symlink target elsewhere")
                .contains("hard links: expected groups")
                .contains("sparse.img: allocates")
                .contains("empty: missing")
                .contains("extra: unexpected file")
                .contains("deep/level-1: mtime")
                .contains("small.txt: atime");
    }
}
