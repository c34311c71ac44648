package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks ownership, permissions and nanosecond times, of symlinks themselves where Linux allows it. */
class MetadataWriterTest {
    private static final Timespec ATIME = new Timespec(1_600_000_000L, 123_456_789);
    private static final Timespec MTIME = new Timespec(1_500_000_000L, 987_654_321);
    private static final int NOBODY = 65534;

    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void setTimes_file_readsBackToTheNanosecond() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");

        posix.setTimes(file, ATIME, MTIME, true);

        FileStatus status = posix.lstat(file);
        assertThat(status.atime()).isEqualTo(ATIME);
        assertThat(status.mtime()).isEqualTo(MTIME);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.from(MTIME.toInstant()));
    }

    @Test
    void setTimes_symlinkNotFollowed_changesTheLinkOnly() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        FileStatus targetBefore = posix.lstat(target);

        posix.setTimes(link, ATIME, MTIME, false);

        FileStatus ofLink = posix.lstat(link);
        assertThat(ofLink.atime()).isEqualTo(ATIME);
        assertThat(ofLink.mtime()).isEqualTo(MTIME);
        assertThat(posix.lstat(target).mtime()).isEqualTo(targetBefore.mtime());
    }

    @Test
    void setTimes_symlinkFollowed_changesTheTarget() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        posix.setTimes(link, ATIME, MTIME, true);

        assertThat(posix.lstat(target).mtime()).isEqualTo(MTIME);
        assertThat(posix.lstat(link).mtime()).isNotEqualTo(MTIME);
    }

    @Test
    void setTimes_nullTime_isLeftAsItIs() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        posix.setTimes(file, ATIME, MTIME, true);
        Timespec newMtime = new Timespec(1_700_000_000L, 1);

        posix.setTimes(file, null, newMtime, true);

        assertThat(posix.lstat(file).atime()).isEqualTo(ATIME);
        assertThat(posix.lstat(file).mtime()).isEqualTo(newMtime);
    }

    @Test
    void setTimes_beforeTheEpoch_readsBack() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        Timespec old = new Timespec(-86_400L, 500);

        posix.setTimes(file, old, old, true);

        assertThat(posix.lstat(file).mtime()).isEqualTo(old);
    }

    @Test
    void chmod_setsAllPermissionBits() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");

        posix.chmod(file, 06751);

        assertThat(posix.lstat(file).permissions()).isEqualTo(06751);
    }

    @Test
    void chmod_notPermissionBits_isRejected() {
        assertThatThrownBy(() -> posix.chmod(dir, FileMode.S_IFREG | 0644))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lchown_symlink_changesTheLinkNotTheTarget() throws IOException {
        Shell.assumeRoot();
        Path target = Files.writeString(dir.resolve("target"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        FileStatus targetBefore = posix.lstat(target);

        posix.lchown(link, NOBODY, NOBODY);

        assertThat(posix.lstat(link).uid()).isEqualTo(NOBODY);
        assertThat(posix.lstat(link).gid()).isEqualTo(NOBODY);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY);
        assertThat(posix.lstat(target).uid()).isEqualTo(targetBefore.uid());
        assertThat(posix.lstat(target).gid()).isEqualTo(targetBefore.gid());
    }

    @Test
    void lchown_minusOne_leavesThatIdAsItIs() throws IOException {
        Shell.assumeRoot();
        Path file = Files.writeString(dir.resolve("f"), "data");
        int gidBefore = posix.lstat(file).gid();

        posix.lchown(file, NOBODY, -1);

        assertThat(posix.lstat(file).uid()).isEqualTo(NOBODY);
        assertThat(posix.lstat(file).gid()).isEqualTo(gidBefore);
    }

    @Test
    void lchown_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> posix.lchown(dir.resolve("missing"), 0, 0))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("lchown");
    }
}
