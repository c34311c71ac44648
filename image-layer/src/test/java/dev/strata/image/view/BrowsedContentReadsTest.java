package dev.strata.image.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.RandomData;
import dev.strata.core.tree.NodeType;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reading the files inside a browsed image costs the chunk store and the heap: every file read
 * once, as {@code tar} reads them, decodes each chunk about once and leaves the mount's chunk cache
 * as it was, so that a whole image read does not pass through the cache (where each chunk outlived
 * the young generation).
 */
@Timeout(120)
class BrowsedContentReadsTest {
    private static final int FOLDERS = 8;
    private static final int FILES_PER_FOLDER = 40;
    private static final int BIG_FILES = 3;
    private static final int BIG_SIZE = 3 << 20;
    /** Larger than the image's data: with the cache filled by file reads, every chunk would stay in it. */
    private static final long CHUNK_CACHE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void readingEveryFile_decodesEachChunkOnceAndLeavesTheChunkCacheAsItWas() throws Exception {
        DiskTools.require("mke2fs");
        Path source = dir.resolve("src");
        for (int d = 0; d < FOLDERS; d++) {
            Path folder = Files.createDirectories(source.resolve("d" + d));
            for (int f = 0; f < FILES_PER_FOLDER; f++) {
                int seed = d * FILES_PER_FOLDER + f;
                Files.write(folder.resolve("f" + f + ".bin"), RandomData.bytes(seed, 1000 + seed * 97 % (40 << 10)));
            }
        }
        for (int b = 0; b < BIG_FILES; b++) {
            Files.write(source.resolve("big" + b + ".bin"), RandomData.bytes(-1 - b, BIG_SIZE));
        }
        try (BrowsedImage image = BrowsedImage.of(dir, source, "48M", CHUNK_CACHE)) {
            FaultInjectingBackend backend = image.backend;
            Repository r = image.repo;
            SnapshotCatalog catalog = image.catalog;
            ViewContext ctx = image.ctx;
            ViewNode disk = image.disk;
            assertThat(walk(disk, Path.of(""), source, false)).isEqualTo(FOLDERS * (FILES_PER_FOLDER + 1) + BIG_FILES);
            long cached = r.store().cachedBytes();
            long before = SettledReads.of(backend);

            assertThat(walk(disk, Path.of(""), source, true)).isEqualTo(FOLDERS * (FILES_PER_FOLDER + 1) + BIG_FILES);

            assertThat(r.store().cachedBytes()).as("bytes in the chunk cache after reading every file")
                    .isEqualTo(cached);
            long reads = SettledReads.of(backend) - before;
            long imageChunks = SettledReads.dataChunks(ctx, catalog.all().get(0));
            // Each chunk once, and a few more where small files of one folder come in another order than
            // they lie on the device; far fewer than a decode per file read.
            assertThat(reads).as("chunks read, of " + imageChunks + " in the image").isLessThanOrEqualTo(imageChunks + imageChunks / 4);
        }
    }

    /** Lists every folder below {@code dir} as find does, and with {@code read} reads every file as tar does, checking its bytes. */
    private static int walk(ViewNode dir, Path at, Path source, boolean read) throws Exception {
        int n = 0;
        for (DirEntry e : dir.list()) {
            if (e.name().equals("lost+found")) {
                continue;
            }
            n++;
            ViewNode child = dir.child(e.name()).orElseThrow();
            if (e.attributes().type() == NodeType.DIRECTORY) {
                n += walk(child, at.resolve(e.name()), source, read);
            } else if (read) {
                assertThat(contents(child, e.attributes().size())).as(at.resolve(e.name()).toString())
                        .isEqualTo(Files.readAllBytes(source.resolve(at.resolve(e.name()))));
            }
        }
        return n;
    }

    /** The file's bytes, read in 128 KiB pieces as FUSE asks for them. */
    private static byte[] contents(ViewNode file, long size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OpenFile f = file.open()) {
            for (long off = 0; off < size; off += 128 << 10) {
                byte[] piece = new byte[(int) Math.min(128 << 10, size - off)];
                int n = f.read(off, piece.length, new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, piece, at, length);
                    }

                    @Override
                    public void zero(int at, int length) {
                        // The array is zeros already.
                    }
                });
                assertThat(n).isEqualTo(piece.length);
                out.write(piece);
            }
        }
        return out.toByteArray();
    }
}
