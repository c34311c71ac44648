package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks lstat/stat against the JDK's unix view, symlinks, sparse files, errors and per-thread errno. */
class StatReaderTest {
    private static final long GIB = 1L << 30;

    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void lstat_regularFile_agreesWithJdk() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "hello");
        Files.createLink(dir.resolve("hard"), file);
        // A time with nanoseconds, so a truncating decoder would show.
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_650_000_000L, 123_456_789)));

        FileStatus status = posix.lstat(file);

        assertAgreesWithJdk(file, status);
        assertThat(status.isRegularFile()).isTrue();
        assertThat(status.size()).isEqualTo(5);
        assertThat(status.links()).isEqualTo(2);
        assertThat(status.mtime()).isEqualTo(new Timespec(1_650_000_000L, 123_456_789));
    }

    @Test
    void lstat_directory_agreesWithJdk() throws IOException {
        FileStatus status = posix.lstat(dir);

        assertAgreesWithJdk(dir, status);
        assertThat(status.isDirectory()).isTrue();
    }

    @Test
    void lstat_charDevice_agreesWithJdkIncludingRdev() throws IOException {
        Path devNull = Path.of("/dev/null");

        FileStatus status = posix.lstat(devNull);

        assertAgreesWithJdk(devNull, status);
        assertThat(status.isCharDevice()).isTrue();
        assertThat(status.rdevMajor()).isEqualTo(1);
        assertThat(status.rdevMinor()).isEqualTo(3);
    }

    @Test
    void lstat_symlink_describesLinkAndStatItsTarget() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "0123456789");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));

        FileStatus ofLink = posix.lstat(link);
        FileStatus followed = posix.stat(link);

        assertAgreesWithJdk(link, ofLink);
        assertThat(ofLink.isSymlink()).isTrue();
        assertThat(ofLink.size()).isEqualTo("target".length());
        assertThat(ofLink.permissions()).isEqualTo(0777);
        assertThat(followed).isEqualTo(posix.lstat(target));
        assertThat(followed.isRegularFile()).isTrue();
        assertThat(followed.inode()).isNotEqualTo(ofLink.inode());
    }

    @Test
    void lstat_sparseFile_allocatesFarFewerBlocksThanItsSize() throws IOException {
        Path file = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(2 * GIB);
            raf.seek(GIB);
            raf.write(new byte[4096]);
        }

        FileStatus status = posix.lstat(file);

        assertThat(status.size()).isEqualTo(2 * GIB);
        assertThat(status.blocks()).isLessThan(status.size() / 512 / 1000);
        assertThat(status.blocks() * 512).isGreaterThanOrEqualTo(4096);
        assertThat(status.blockSize()).isPositive();
    }

    @Test
    void lstat_missingFile_throwsNoSuchFileNamingThePath() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> posix.lstat(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("lstat")
                .satisfies(e -> assertThat(((NoSuchFileException) e).getFile()).isEqualTo(missing.toString()));
    }

    @Test
    void stat_throughRegularFile_throwsNotDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> posix.stat(file.resolve("child")))
                .isInstanceOf(NotDirectoryException.class)
                .satisfies(e -> assertThat(((FileSystemException) e).getFile())
                        .isEqualTo(file.resolve("child").toString()));
    }

    @Test
    void lstat_concurrentFailures_eachThreadSeesItsOwnErrno() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path missing = dir.resolve("missing");
        Path throughFile = file.resolve("child");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Class<?>>> outcomes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Path path = i % 3 == 0 ? missing : i % 3 == 1 ? throughFile : file;
                outcomes.add(pool.submit(() -> {
                    try {
                        posix.lstat(path);
                        return FileStatus.class;
                    } catch (IOException e) {
                        return e.getClass();
                    }
                }));
            }
            for (int i = 0; i < outcomes.size(); i++) {
                Class<?> expected = i % 3 == 0 ? NoSuchFileException.class
                        : i % 3 == 1 ? NotDirectoryException.class : FileStatus.class;
                assertThat(outcomes.get(i).get()).as("call %d", i).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertAgreesWithJdk(Path path, FileStatus status) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertThat(status.device()).as("dev").isEqualTo(unix.get("dev"));
        assertThat(status.inode()).as("ino").isEqualTo(unix.get("ino"));
        assertThat(status.mode()).as("mode").isEqualTo(unix.get("mode"));
        assertThat(status.uid()).as("uid").isEqualTo(unix.get("uid"));
        assertThat(status.gid()).as("gid").isEqualTo(unix.get("gid"));
        assertThat(status.size()).as("size").isEqualTo(unix.get("size"));
        assertThat((int) status.links()).as("nlink").isEqualTo(unix.get("nlink"));
        assertThat(status.rdev()).as("rdev").isEqualTo(unix.get("rdev"));
        assertThat(status.mtime().toInstant()).as("mtime")
                .isEqualTo(((FileTime) unix.get("lastModifiedTime")).toInstant());
        assertThat(status.ctime().toInstant()).as("ctime")
                .isEqualTo(((FileTime) unix.get("ctime")).toInstant());
    }
}
