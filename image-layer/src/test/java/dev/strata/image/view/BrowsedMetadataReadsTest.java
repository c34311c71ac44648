package dev.strata.image.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.RandomData;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What walking a browsed filesystem costs the chunk store: a {@code find} over an image of 1,000
 * folders, whose folder blocks lie among the files' data in most of the image's chunks.
 */
class BrowsedMetadataReadsTest {
    private static final int FOLDERS = 1_000;
    /** Smaller than the chunks the walk passes through, as the mount's 32 MiB is smaller than a real image. */
    private static final long CHUNK_CACHE = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void walkingEveryFolderAndInode_decodesEachChunkAboutOnce_andLeavesTheChunkCacheToFileContents() throws Exception {
        DiskTools.require("mke2fs");
        Path source = dir.resolve("src");
        for (int i = 0; i < FOLDERS; i++) {
            Path d = Files.createDirectories(source.resolve(String.format("d%04d", i)));
            Files.write(d.resolve("f.bin"), RandomData.bytes(i, 24 << 10));
        }
        byte[] big = RandomData.bytes(-1, 1 << 20);
        Files.write(source.resolve("big.bin"), big);
        try (BrowsedImage image = BrowsedImage.of(dir, source, "64M", CHUNK_CACHE)) {
            FaultInjectingBackend backend = image.backend;
            Repository r = image.repo;
            SnapshotCatalog catalog = image.catalog;
            ViewContext ctx = image.ctx;
            ViewNode disk = image.disk;
            long chunks = SettledReads.dataChunks(ctx, catalog.all().get(0));
            // Opening the image started listing its folders ahead (MetadataReadAhead): let it finish.
            long browsed = SettledReads.of(backend);
            long walkReads = browsed - image.readsBeforeBrowsing;
            // Every chunk holds folder blocks; each is decoded about once, plus the inode table's few
            // chunks again as the walk moves along it.
            assertThat(walkReads).as("chunks read by the walk ahead, of " + chunks).isBetween(chunks / 2, chunks + chunks / 4);
            // The walk put none of its chunks (16 KiB or more each) into the chunk cache, which holds only the
            // image's tree, read when its folder was opened: what files are read from there stays.
            assertThat(r.store().cachedBytes() - image.cachedBeforeBrowsing).as("bytes added to the chunk cache by the walk")
                    .isLessThan(32 << 10);
            assertThat(BrowsedImage.walk(disk)).isEqualTo(2 * FOLDERS + 1);
            assertThat(backend.calls(Operation.READ)).as("chunks read by a walk after the one ahead").isEqualTo(browsed);
            ViewNode bigFile = disk.child("big.bin").orElseThrow();
            assertThat(sha256(bigFile, big.length)).isEqualTo(sha256(big));
        }
    }

    private static byte[] sha256(ViewNode file, int size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (OpenFile f = file.open()) {
            for (long off = 0; off < size; off += 128 << 10) {
                int n = f.read(off, (int) Math.min(128 << 10, size - off), new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        md.update(src, srcOffset, length);
                    }

                    @Override
                    public void zero(int at, int length) {
                        md.update(new byte[length]);
                    }
                });
                assertThat(n).isPositive();
            }
        }
        return md.digest();
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
