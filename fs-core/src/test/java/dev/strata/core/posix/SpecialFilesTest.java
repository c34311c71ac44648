package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks creating fifos, sockets and device nodes with the right device numbers. */
class SpecialFilesTest {
    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void mkfifo_createsFifo() throws IOException {
        Path fifo = dir.resolve("fifo");

        posix.mkfifo(fifo, 0640);

        FileStatus status = posix.lstat(fifo);
        assertThat(status.isFifo()).isTrue();
        // The umask may have taken bits away, never added any.
        assertThat(status.permissions() & ~0640).isZero();
        assertThat(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther()).isTrue();
    }

    @Test
    void mknod_fifo_createsFifo() throws IOException {
        Path fifo = dir.resolve("fifo");

        posix.mknod(fifo, FileMode.S_IFIFO | 0600, 0);

        assertThat(posix.lstat(fifo).isFifo()).isTrue();
    }

    @Test
    void mknod_socket_createsSocketFile() throws IOException {
        Path socket = dir.resolve("socket");

        posix.mknod(socket, FileMode.S_IFSOCK | 0600, 0);

        assertThat(posix.lstat(socket).isSocket()).isTrue();
    }

    @Test
    void mknod_charDevice_hasTheDeviceNumber() throws IOException {
        Shell.assumeRoot();
        Path device = dir.resolve("null");

        posix.mknod(device, FileMode.S_IFCHR | 0666, DeviceNumbers.makedev(1, 3));

        FileStatus status = posix.lstat(device);
        assertThat(status.isCharDevice()).isTrue();
        assertThat(status.rdevMajor()).isEqualTo(1);
        assertThat(status.rdevMinor()).isEqualTo(3);
        assertThat(status.rdev()).isEqualTo(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"));
        assertThat(Files.getAttribute(device, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(status.rdev());
    }

    @Test
    void mknod_blockDeviceWithLargeNumbers_keepsMajorAndMinor() throws IOException {
        Shell.assumeRoot();
        Path device = dir.resolve("block");

        posix.mknod(device, FileMode.S_IFBLK | 0600, DeviceNumbers.makedev(259, 70_000));

        FileStatus status = posix.lstat(device);
        assertThat(status.isBlockDevice()).isTrue();
        assertThat(status.rdevMajor()).isEqualTo(259);
        assertThat(status.rdevMinor()).isEqualTo(70_000);
    }

    @Test
    void mknod_existingPath_throwsFileAlreadyExists() throws IOException {
        Path existing = Files.createFile(dir.resolve("existing"));

        assertThatThrownBy(() -> posix.mknod(existing, FileMode.S_IFIFO | 0600, 0))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(existing.toString());
    }

    @Test
    void mknod_regularOrDirectoryMode_isRejected() {
        assertThatThrownBy(() -> posix.mknod(dir.resolve("x"), FileMode.S_IFREG | 0600, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> posix.mknod(dir.resolve("x"), FileMode.S_IFDIR | 0700, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
