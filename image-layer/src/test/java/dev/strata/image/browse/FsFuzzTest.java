package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;
import dev.strata.image.DiskTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of mutated images (seeded): bit flips and overwritten fields in the superblock, group
 * descriptors, inode tables, extent headers, folder entries, FAT boot sectors, tables and entries.
 * Each is read fully (every folder, file, link and attribute) with a time limit: the reader never
 * hangs and never fails with anything but {@link FilesystemDamageException}.
 */
class FsFuzzTest {
    private static final int IMAGES_PER_KIND = 2000;
    private static final long SECONDS_PER_IMAGE = 10;
    /** Bytes read from each file at most: a damaged size may claim terabytes of holes. */
    private static final long READ_LIMIT = 1 << 20;

    @TempDir
    static Path tmp;
    static Path source;
    static ExecutorService worker;

    @BeforeAll
    static void fixture() throws Exception {
        DiskTools.require("mke2fs", "mkfs.vfat", "mcopy", "setfattr", "mkfifo");
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("dir/sub"));
        Files.write(src.resolve("small"), "tiny".getBytes(StandardCharsets.US_ASCII));
        Files.write(src.resolve("dir/file.bin"), new Random(1).ints(30_000).collect(StringBuilder::new, StringBuilder::append,
                StringBuilder::append).toString().getBytes(StandardCharsets.US_ASCII));
        Files.write(src.resolve("dir/sub/A longer name than eight.txt"), "x".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 60; i++) {
            Files.write(src.resolve("dir/entry-" + i), new byte[i * 100]);
        }
        Files.createSymbolicLink(src.resolve("link"), Path.of("dir/" + "long/".repeat(20)));
        Files.createLink(src.resolve("hard"), src.resolve("small"));
        DiskTools.ok("setfattr", "-n", "user.a", "-v", "0x" + "11".repeat(300), src.resolve("small").toString());
        DiskTools.ok("setfattr", "-n", "user.b", "-v", "b", src.resolve("dir").toString());
        source = src;
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-reader");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
    }

    private static byte[] image(String kind) throws Exception {
        Path img = tmp.resolve(kind + ".img");
        Files.deleteIfExists(img);
        switch (kind) {
            case "ext4-csum" -> DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-O", "inline_data,metadata_csum",
                    "-N", "128", "-d", source.toString(), img.toString(), "2M");
            case "ext4" -> DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-O", "inline_data,^metadata_csum,^has_journal",
                    "-N", "128", "-d", source.toString(), img.toString(), "2M");
            case "ext2" -> DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-N", "128", "-d", source.toString(),
                    img.toString(), "2M");
            default -> FatFsTest.image(img, source.resolve("dir"), kind.equals("fat12") ? 12 : 16, kind.equals("fat12") ? 2 : 16);
        }
        return Files.readAllBytes(img);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4-csum", "ext4", "ext2", "fat12", "fat16"})
    void mutatedImagesFailOnlyWithDamage(String kind) throws Exception {
        byte[] base = image(kind);
        assertThat(readAll(base)).as("the unmutated image reads cleanly").isEqualTo("ok");
        List<Integer> used = usedBlocks(base);
        Random random = new Random(kind.hashCode() * 31L + 7);
        int damaged = 0;
        for (int i = 0; i < IMAGES_PER_KIND; i++) {
            byte[] img = base.clone();
            String what = mutate(img, used, random);
            Future<String> f = worker.submit(() -> readAll(img));
            String result;
            try {
                result = f.get(SECONDS_PER_IMAGE, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new AssertionError(kind + " image " + i + " (" + what + ") did not finish in " + SECONDS_PER_IMAGE + " s");
            }
            assertThat(result).as(kind + " image " + i + " (" + what + ")").matches("ok|damage: .*");
            if (!result.equals("ok")) {
                damaged++;
            }
        }
        System.out.println(kind + ": " + IMAGES_PER_KIND + " mutated images, " + damaged + " with damage found, none failed otherwise");
        // Most mutations land in file data, which no filesystem can tell from other data.
        assertThat(damaged).as("mutations found as damage").isGreaterThan(IMAGES_PER_KIND / 50);
    }

    /** The 1 KiB blocks that hold something: metadata, folders and data, where mutations matter. */
    private static List<Integer> usedBlocks(byte[] img) {
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < img.length / 1024; b++) {
            for (int k = 0; k < 1024; k++) {
                if (img[b * 1024 + k] != 0) {
                    out.add(b);
                    break;
                }
            }
        }
        return out;
    }

    private static String mutate(byte[] img, List<Integer> used, Random random) {
        StringBuilder what = new StringBuilder();
        int count = 1 + random.nextInt(6);
        for (int m = 0; m < count; m++) {
            int region = random.nextInt(10);
            int at;
            if (region < 3) {
                at = random.nextInt(3072); // boot sector, superblock, the descriptors
            } else if (region < 7) {
                // The first used blocks: bitmaps, inode tables, the first folders (FAT: the tables and root folder).
                at = used.get(random.nextInt(Math.min(64, used.size()))) * 1024 + random.nextInt(1024);
            } else {
                at = used.get(random.nextInt(used.size())) * 1024 + random.nextInt(1024);
            }
            int kind = random.nextInt(4);
            switch (kind) {
                case 0 -> img[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> img[at] = (byte) random.nextInt(256);
                case 2 -> {
                    int aligned = Math.min(img.length - 4, at & ~3);
                    int[] values = {0, 1, 2, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0xFFFF, 0x10000, img.length / 1024, img.length / 1024 + 1};
                    int v = values[random.nextInt(values.length)];
                    for (int k = 0; k < 4; k++) {
                        img[aligned + k] = (byte) (v >>> (8 * k));
                    }
                }
                default -> {
                    int aligned = Math.min(img.length - 2, at & ~1);
                    int[] values = {0, 1, 0xFFFF, 0x8000, 0xF30A, 4, 5, 12, 0x7FFF};
                    int v = values[random.nextInt(values.length)];
                    img[aligned] = (byte) v;
                    img[aligned + 1] = (byte) (v >>> 8);
                }
            }
            what.append(kind).append('@').append(at).append(' ');
        }
        return what.toString().trim();
    }

    /** Reads everything; "ok", "damage: …" when the reader reported damage, or the unexpected failure with its stack. */
    private static String readAll(byte[] img) {
        String damage = null;
        try {
            BrowsableFs fs;
            try {
                fs = BrowsableFilesystems.open(FileSource.of(img));
            } catch (FilesystemDamageException e) {
                return "damage: " + e.getMessage();
            }
            Set<Long> seen = new HashSet<>();
            Deque<FsNode> folders = new ArrayDeque<>();
            folders.add(fs.root());
            byte[] buf = new byte[64 << 10];
            while (!folders.isEmpty()) {
                FsNode dir = folders.poll();
                if (!seen.add(dir.id())) {
                    continue;
                }
                List<FsChild> children;
                try {
                    children = fs.list(dir);
                    fs.xattrs(dir);
                } catch (FilesystemDamageException e) {
                    damage = e.getMessage();
                    continue;
                }
                for (FsChild c : children) {
                    if (!c.readable()) {
                        damage = c.damage();
                        continue;
                    }
                    FsNode n = c.node();
                    try {
                        fs.xattrs(n);
                        if (n.type() == NodeType.DIRECTORY) {
                            folders.add(n);
                        } else if (n.type() == NodeType.SYMLINK) {
                            fs.readLink(n);
                        } else if (n.type() == NodeType.FILE) {
                            for (long pos = 0; pos < Math.min(n.size(), READ_LIMIT); ) {
                                int got = fs.read(n, pos, buf, 0, buf.length);
                                assertThat(got).isPositive();
                                pos += got;
                            }
                            // And the far end, where a damaged size points.
                            fs.read(n, Math.max(0, n.size() - 10), buf, 0, 10);
                            // And where its bytes lie, as file-aware imaging asks.
                            fs.dataRuns(n);
                        }
                    } catch (FilesystemDamageException e) {
                        damage = e.getMessage();
                    }
                }
            }
            return damage == null ? "ok" : "damage: " + damage;
        } catch (IOException | RuntimeException | Error e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            return "unexpected: " + w;
        }
    }
}
