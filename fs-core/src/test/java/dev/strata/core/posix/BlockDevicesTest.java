package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks block device size and sector size on a real loop device, and refusal of other files. */
class BlockDevicesTest {
    private static final long IMAGE_SIZE = 8L << 20;

    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void loopDevice_reportsSizeAndSectorSize() throws Exception {
        Shell.assumeRoot();
        Shell.assumeTool("losetup");
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength(IMAGE_SIZE);
        }
        Path device = attach(image);
        try {
            assertThat(posix.isBlockDevice(device)).isTrue();
            assertThat(posix.blockDeviceSize(device)).isEqualTo(IMAGE_SIZE);
            assertThat(posix.logicalSectorSize(device)).isEqualTo(4096);
        } finally {
            Shell.run("losetup", "--detach", device.toString());
        }
    }

    @Test
    void regularFile_isNotABlockDevice() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");

        assertThat(posix.isBlockDevice(file)).isFalse();
        assertThat(posix.isBlockDevice(dir.resolve("missing"))).isFalse();
        assertThatThrownBy(() -> posix.blockDeviceSize(file))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("not a block device");
        assertThatThrownBy(() -> posix.logicalSectorSize(Path.of("/dev/null")))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("not a block device");
    }

    @Test
    void ioctlRequest_usesTheGenericEncoding() {
        // The values <linux/fs.h> gives on x86-64 and arm64.
        assertThat(BlockDevices.request(2, 0x12, 114, 8)).isEqualTo(0x80081272L);
        assertThat(BlockDevices.request(0, 0x12, 104, 0)).isEqualTo(0x1268L);
    }

    /** Attaches the image with 4 KiB logical sectors; skips the test where loop devices are not available. */
    private static Path attach(Path image) throws InterruptedException {
        try {
            return Path.of(Shell.run("losetup", "--find", "--show", "--sector-size", "4096", image.toString()).trim());
        } catch (IOException e) {
            assumeThat(e).as("a loop device can be set up").isNull();
            throw new AssertionError(e);
        }
    }
}
