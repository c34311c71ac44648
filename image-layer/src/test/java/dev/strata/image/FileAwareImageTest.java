package dev.strata.image;

import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.strata.image.DiskTools.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With --used-only on ext4 and FAT, an image cuts its chunks where each file starts, so every
 * chunk a file backup of the same files made is one of the image's chunks, and the image still
 * restores byte for byte.
 */
class FileAwareImageTest {
    private static final long P1 = 1L << 20;
    private static final long P2 = 21L << 20;

    @TempDir
    Path dir;

    /** The usual fixture plus files of many sizes: smaller than a chunk, a few chunks, not block-aligned. */
    private Path files() throws IOException {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Files.createDirectories(fixture.resolve("many"));
        Random sizes = new Random(7);
        for (int i = 0; i < 120; i++) {
            Files.write(fixture.resolve("many/f" + i + ".bin"), RandomData.bytes(100 + i, 1 + sizes.nextInt(60_000)));
        }
        return fixture;
    }

    /** A GPT disk with the files in an ext4 partition and in a FAT one; free space is zeros. */
    private Path disk(Path fixture) throws Exception {
        DiskTools.require("sgdisk");
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        ok("sgdisk", "-n", "1:2048:+20M", "-t", "1:8300", "-n", "2:43008:+24M", "-t", "2:0700", disk.toString());
        DiskTools.place(DiskTools.ext4(dir.resolve("p1.img"), fixture, 20), disk, P1);
        DiskTools.place(DiskTools.fat(dir.resolve("p2.img"), fixture, 24), disk, P2);
        return disk;
    }

    @Test
    void usedOnly_everyChunkOfAFileBackup_isAChunkOfTheImage_andRestoreIsExact() throws Exception {
        Path fixture = files();
        Path disk = disk(fixture);
        ImageFixture f = new ImageFixture(dir.resolve("r"));
        Set<ChunkId> fileChunks;
        long fileBytes;
        try (Repository r = f.repo.open()) {
            Snapshot backup = new Backup(r, new LocalSourceFs())
                    .run(BackupRequest.of(List.of(fixture)), new BackupCounters(), BackupProgress.NONE).snapshot();
            fileChunks = new HashSet<>();
            fileBytes = collect(new TreeStore(r.store()), backup.tree(), fileChunks);
        }

        ImageResult image = f.create(disk, ImageRequest.of("disk").withUsedOnly(true));

        Set<ChunkId> imageChunks;
        try (Repository r = f.repo.open()) {
            TreeStore trees = new TreeStore(r.store());
            Node diskNode = trees.read(image.snapshot().tree()).find(ImageDescription.DISK_FILE).orElseThrow();
            imageChunks = new HashSet<>(trees.chunkIds(diskNode.content()));
        }
        assertThat(fileChunks).hasSizeGreaterThan(150);
        assertThat(imageChunks).containsAll(fileChunks);
        ImageDescription d = image.description();
        int files = DiskTools.fixtureFiles().size() + 120;
        for (ImageDescription.PartitionInfo p : d.partitions()) {
            assertThat(p.files()).as(p.filesystem()).isEqualTo(files);
            assertThat(p.fileBytes()).as(p.filesystem()).isEqualTo(fileBytes);
        }
        // Both copies of the files cost nothing again: what the image adds is its filesystems' metadata.
        assertThat(image.bytesAdded()).isLessThan(fileBytes / 20);
        Path out = dir.resolve("out.img");
        f.restore(image.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(disk));
    }

    @Test
    void usedOnly_aFragmentedSparseFileAndHardLinks_restoreExactly() throws Exception {
        Path fixture = dev.strata.image.browse.BrowseFixture.build(dir.resolve("files"), 300);
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), fixture, 64);
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult image = f.create(img, ImageRequest.of("ext").withUsedOnly(true));

        assertThat(image.description().volume().files()).isGreaterThan(300);
        Path out = dir.resolve("out.img");
        f.restore(image.snapshot(), 0, out);
        assertThat(DiskTools.sha256(out)).isEqualTo(DiskTools.sha256(img));
    }

    @Test
    void usedOnly_aFileWithZeroBlocks_isCountedAsSplit_aContiguousOneIsNot() throws Exception {
        Path files = Files.createDirectories(dir.resolve("holey"));
        Files.write(files.resolve("whole.bin"), RandomData.bytes(11, 600 << 10));
        // mke2fs -d leaves the all-zero blocks of a file unallocated: on the disk it is four pieces.
        byte[] holey = RandomData.bytes(12, 4 * (200 << 10));
        long zeros = 0;
        for (int k = 1; k < 4; k++) {
            java.util.Arrays.fill(holey, k * (200 << 10), k * (200 << 10) + (8 << 10), (byte) 0);
            zeros += 8 << 10;
        }
        Files.write(files.resolve("holey.bin"), holey);
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), files, 16);
        ImageFixture f = new ImageFixture(dir.resolve("r"));

        ImageResult image = f.create(img, ImageRequest.of("holey").withUsedOnly(true));

        ImageDescription.PartitionInfo v = image.description().volume();
        assertThat(v.files()).isEqualTo(2);
        assertThat(v.splitFiles()).isEqualTo(1);
        assertThat(v.splitFileBytes()).isEqualTo(holey.length - zeros);
        assertThat(v.fileBytes()).isEqualTo((600 << 10) + holey.length - zeros);
        ImageDescription read = ImageDescription.fromJson(image.description().toJson());
        assertThat(read.volume().splitFiles()).isEqualTo(1);
    }

    /** Adds the chunk ids of every file below {@code tree}; returns the files' bytes. */
    private static long collect(TreeStore trees, ChunkId tree, Set<ChunkId> out) throws IOException {
        long bytes = 0;
        for (Node n : trees.read(tree).nodes()) {
            if (n.isDirectory()) {
                bytes += collect(trees, n.subtree(), out);
            } else if (n.isFile() && n.content() != null) {
                out.addAll(trees.chunkIds(n.content()));
                bytes += n.size();
            }
        }
        return bytes;
    }
}
