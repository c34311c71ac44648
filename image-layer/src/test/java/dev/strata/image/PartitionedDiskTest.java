package dev.strata.image;

import dev.strata.image.partition.PartitionTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.strata.image.DiskTools.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** GPT and MBR disks with an ext4 and a FAT partition, built with sgdisk/sfdisk. */
class PartitionedDiskTest {
    private static final long P1 = 1L << 20;
    private static final long P1_LEN = 20L << 20;
    private static final long P2 = 21L << 20;
    private static final long P2_LEN = 24L << 20;

    @TempDir
    Path dir;

    private Path gptDisk() throws Exception {
        DiskTools.require("sgdisk");
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        ok("sgdisk", "-n", "1:2048:+20M", "-t", "1:8300", "-c", "1:root", "-n", "2:43008:+24M", "-t", "2:0700", "-c", "2:data",
                disk.toString());
        DiskTools.place(DiskTools.ext4(dir.resolve("p1.img"), fixture, 20), disk, P1);
        DiskTools.place(DiskTools.fat(dir.resolve("p2.img"), fixture, 24), disk, P2);
        return disk;
    }

    @Test
    void gpt_partitionsAreFoundAndRestoreIsByteIdentical() throws Exception {
        Path disk = gptDisk();
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(disk, ImageRequest.of("disk"));

        ImageDescription d = result.description();
        assertThat(d.scheme()).isEqualTo(PartitionTable.GPT);
        assertThat(d.tableProblems()).isEmpty();
        assertThat(d.partitions()).hasSize(2);
        assertThat(d.partitions().get(0).start()).isEqualTo(P1);
        assertThat(d.partitions().get(0).length()).isEqualTo(P1_LEN);
        assertThat(d.partitions().get(0).filesystem()).isEqualTo("ext4");
        assertThat(d.partitions().get(0).label()).isEqualTo("root");
        assertThat(d.partitions().get(1).start()).isEqualTo(P2);
        assertThat(d.partitions().get(1).filesystem()).isEqualTo("fat16");
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(disk));
        Path part2 = dir.resolve("part2.img");
        f.restore(result.snapshot(), 2, part2);
        assertThat(Files.readAllBytes(part2)).isEqualTo(DiskTools.slice(disk, P2, P2_LEN));
    }

    @Test
    void gpt_usedOnly_partitionsPassFsck() throws Exception {
        Path disk = gptDisk();
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult result = f.create(disk, ImageRequest.of("disk").withUsedOnly(true));

        assertThat(result.description().partitions()).allMatch(ImageDescription.PartitionInfo::usedOnlyApplied);
        Path p1 = dir.resolve("p1-out.img");
        Path p2 = dir.resolve("p2-out.img");
        f.restore(result.snapshot(), 1, p1);
        f.restore(result.snapshot(), 2, p2);
        assertThat(DiskTools.run(Map.of(), "e2fsck", "-fn", p1.toString()).code()).isZero();
        assertThat(DiskTools.run(Map.of(), "fsck.vfat", "-n", p2.toString()).code()).isZero();
    }

    @Test
    void gpt_damagedPrimaryHeader_usesTheBackupAndSaysSo() throws Exception {
        Path disk = gptDisk();
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(512 + 40);
            f.write(0x5A);
        }
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageDescription d = f.create(disk, ImageRequest.of("disk")).description();

        assertThat(d.partitions()).hasSize(2);
        assertThat(d.tableProblems()).anyMatch(p -> p.contains("primary GPT header") && p.contains("CRC32"));
        assertThat(f.warnings).anyMatch(w -> w.contains("using the backup"));
    }

    @Test
    void gpt_missingBackupHeader_isReported() throws Exception {
        Path disk = gptDisk();
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(f.length() - 512);
            f.write(new byte[512]);
        }
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageDescription d = f.create(disk, ImageRequest.of("disk")).description();

        assertThat(d.partitions()).hasSize(2);
        assertThat(d.tableProblems()).anyMatch(p -> p.contains("backup GPT header is missing or damaged"));
    }

    @Test
    void mbr_primaryAndLogicalPartitions() throws Exception {
        DiskTools.require("sfdisk");
        Path disk = dir.resolve("mbr.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        Path script = dir.resolve("layout");
        Files.writeString(script, "label: dos\nstart=2048, size=8192, type=83\nstart=12288, size=40960, type=5\n"
                + "start=14336, size=8192, type=c\nstart=24576, size=8192, type=83\n");
        ok("sh", "-c", "sfdisk -q " + disk + " < " + script);

        ImageDescription d = new ImageFixture(dir.resolve("r")).create(disk, ImageRequest.of("mbr")).description();

        assertThat(d.scheme()).isEqualTo(PartitionTable.MBR);
        assertThat(d.partitions()).extracting(ImageDescription.PartitionInfo::number).containsExactly(1, 2, 5, 6);
        assertThat(d.partition(5).orElseThrow().start()).isEqualTo(14336L * 512);
        assertThat(d.partition(5).orElseThrow().type()).isEqualTo("0x0c");
        assertThat(d.partition(6).orElseThrow().start()).isEqualTo(24576L * 512);
    }
}
