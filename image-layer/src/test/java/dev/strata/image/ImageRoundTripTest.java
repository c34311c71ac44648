package dev.strata.image;

import dev.strata.image.partition.PartitionTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.strata.image.DiskTools.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Images of real ext4 and FAT filesystems made by their own tools, restored and checked. */
class ImageRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void ext4_imageAndRestore_isByteIdenticalAndSparse() throws Exception {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), fixture, 32);
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(img, ImageRequest.of("ext"));

        ImageDescription d = result.description();
        assertThat(d.scheme()).isEqualTo(PartitionTable.NONE);
        assertThat(d.volume().filesystem()).isEqualTo("ext4");
        assertThat(d.deviceSize()).isEqualTo(32L << 20);
        assertThat(result.bytesAdded()).isLessThan(16L << 20);
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(img));
        assertThat(DiskTools.allocated(out)).isLessThan(Files.size(out) / 2);
    }

    @Test
    void aSparseImageFile_itsHolesAreNotRead_andRestoreIsByteIdentical() throws Exception {
        // A VM disk or a fresh mke2fs image: mostly holes, which are zeros without reading them.
        Path img = dir.resolve("sparse.img");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] data = new byte[1 << 20];
            new java.util.Random(11).nextBytes(data);
            ch.write(java.nio.ByteBuffer.wrap(data), 4L << 20);
            ch.write(java.nio.ByteBuffer.wrap(data), 40L << 20);
            ch.truncate(64L << 20);
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{1}), (64L << 20) - 1);
        }
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(img, ImageRequest.of("vm"));

        assertThat(result.bytesRead()).isLessThanOrEqualTo(3L << 20);
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(img));
    }

    @Test
    void ext4_usedOnly_restorePassesFsckAndHoldsTheFiles() throws Exception {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), fixture, 32);
        // Garbage in free space, as on a used disk: --used-only must not read it.
        ok("debugfs", "-w", "-R", "write " + fixture.resolve("big2.bin") + " scratch", img.toString());
        ok("debugfs", "-w", "-R", "rm scratch", img.toString());
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(img, ImageRequest.of("ext").withUsedOnly(true));

        assertThat(result.description().volume().usedOnlyApplied()).isTrue();
        assertThat(result.bytesRead()).isLessThan(Files.size(img) / 2);
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        DiskTools.require("e2fsck", "debugfs");
        assertThat(DiskTools.run(java.util.Map.of(), "e2fsck", "-fn", out.toString()).code()).isZero();
        for (String file : DiskTools.fixtureFiles()) {
            Path got = dir.resolve("got-" + file.replace('/', '_'));
            ok("debugfs", "-R", "dump /" + file + " " + got, out.toString());
            assertThat(Files.readAllBytes(got)).as(file).isEqualTo(Files.readAllBytes(fixture.resolve(file)));
        }
    }

    @Test
    void fat_usedOnly_restorePassesFsckAndHoldsTheFiles() throws Exception {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path img = DiskTools.fat(dir.resolve("fat.img"), fixture, 32);
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(img, ImageRequest.of("fat").withUsedOnly(true));

        assertThat(result.description().volume().filesystem()).startsWith("fat");
        assertThat(result.description().volume().usedOnlyApplied()).isTrue();
        assertThat(result.bytesRead()).isLessThan(Files.size(img) / 2);
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        DiskTools.require("fsck.vfat");
        assertThat(DiskTools.run(java.util.Map.of(), "fsck.vfat", "-n", out.toString()).code()).isZero();
        for (String file : DiskTools.fixtureFiles()) {
            Path got = dir.resolve("got-" + file.replace('/', '_'));
            ok("mcopy", "-i", out.toString(), "::/" + file, got.toString());
            assertThat(Files.readAllBytes(got)).as(file).isEqualTo(Files.readAllBytes(fixture.resolve(file)));
        }
    }

    @Test
    void fat_fullImage_isByteIdentical() throws Exception {
        Path img = DiskTools.fat(dir.resolve("fat.img"), DiskTools.fixture(dir.resolve("files")), 16);
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(img, ImageRequest.of("fat"));

        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(img));
    }
}
