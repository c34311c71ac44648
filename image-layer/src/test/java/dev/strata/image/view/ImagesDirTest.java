package dev.strata.image.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageCreator;
import dev.strata.image.ImageRequest;
import dev.strata.image.source.FileImageSource;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** images/<name>/<time>/{disk.img,partN.img} read through the view interface, without a kernel. */
class ImagesDirTest {
    private static final long P1 = 1L << 20;
    private static final long P2 = 9L << 20;

    @TempDir
    Path dir;

    /** A 24 MiB GPT disk: random data in both partitions, zeros elsewhere. */
    private Path disk() throws Exception {
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(24L << 20);
            f.seek(P1);
            f.write(RandomData.bytes(1, 3 << 20));
            f.seek(P2 + (2 << 20));
            f.write(RandomData.bytes(2, 1 << 20));
        }
        Path sgdisk = Files.isExecutable(Path.of("/usr/sbin/sgdisk")) ? Path.of("/usr/sbin/sgdisk") : Path.of("/sbin/sgdisk");
        Assumptions.assumeTrue(Files.isExecutable(sgdisk), "sgdisk is not installed");
        Process p = new ProcessBuilder(sgdisk.toString(), "-n", "1:2048:+8M", "-n", "2:18432:+12M", disk.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return disk;
    }

    @Test
    void diskAndPartitionFiles_readBackTheOriginalBytes() throws Exception {
        Path disk = disk();
        TestRepositories.Fixture fixture = TestRepositories.local(dir.resolve("r")).small().init();
        try (Repository r = fixture.open()) {
            try (FileImageSource src = FileImageSource.open(disk)) {
                new ImageCreator(r).create(src, ImageRequest.of("pc").withTime(Instant.parse("2026-11-26T10:20:30Z")),
                        new ImageCounters(), w -> { });
            }
            SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(r), SnapshotKind.IMAGE, x -> { });
            try (ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, 1000, 1000, Timestamp.EPOCH)) {
                ImagesDir images = new ImagesDir(ctx, catalog);

                assertThat(names(images.list())).containsExactly("pc");
                ViewNode pc = images.child("pc").orElseThrow();
                assertThat(names(pc.list())).containsExactly("2026-11-26T10-20-30");
                ViewNode snap = pc.child("2026-11-26T10-20-30").orElseThrow();
                assertThat(names(snap.list())).containsExactly("disk.img", "part1.img", "part2.img");

                ViewNode diskFile = snap.child("disk.img").orElseThrow();
                Attributes a = diskFile.attributes();
                assertThat(a.type()).isEqualTo(NodeType.FILE);
                assertThat(a.size()).isEqualTo(Files.size(disk));
                assertThat(a.blocks() * 512).isLessThan(8L << 20);
                assertThat(sha256(read(diskFile, a.size()))).isEqualTo(sha256(Files.readAllBytes(disk)));

                byte[] all = Files.readAllBytes(disk);
                ViewNode part2 = snap.child("part2.img").orElseThrow();
                assertThat(part2.attributes().size()).isEqualTo(12L << 20);
                assertThat(read(part2, 12L << 20)).isEqualTo(Arrays.copyOfRange(all, (int) P2, (int) (P2 + (12L << 20))));
                assertThat(read(snap.child("part1.img").orElseThrow(), 8L << 20))
                        .isEqualTo(Arrays.copyOfRange(all, (int) P1, (int) (P1 + (8L << 20))));
                assertThat(part2.attributes().inode()).isNotEqualTo(a.inode());
                assertThat(diskFile.immutable()).isTrue();
            }
        }
    }

    /** Reads a file as FUSE would: 128 KiB requests, and one past the end. */
    private static byte[] read(ViewNode file, long size) throws Exception {
        byte[] out = new byte[(int) size];
        try (OpenFile f = file.open()) {
            for (long off = 0; off < size; off += 128 << 10) {
                long base = off;
                int n = f.read(off, 128 << 10, new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, out, (int) base + at, length);
                    }

                    @Override
                    public void zero(int at, int length) {
                        Arrays.fill(out, (int) base + at, (int) base + at + length, (byte) 0);
                    }
                });
                assertThat(n).isEqualTo((int) Math.min(128 << 10, size - off));
            }
            assertThat(f.read(size, 4096, null)).isZero();
        }
        return out;
    }

    private static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).toList();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
