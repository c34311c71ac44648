package dev.strata.image.browse;

import dev.strata.core.testing.RandomData;
import dev.strata.image.DiskTools;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A folder holding what the filesystem readers must get right: small (inline) and large files, a
 * fragmented sparse file, a folder of thousands of long names (an htree once indexed), hard links,
 * short and long symlinks, a fifo, xattrs small (in the inode) and large (in a block), odd modes.
 * Stateless.
 */
public final class BrowseFixture {
    public static final String LONG_TARGET = "a/very/long/target/".repeat(10) + "end";

    private BrowseFixture() {
    }

    public static Path build(Path dir, int manyNames) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.createDirectories(dir.resolve("empty-dir"));
        Files.createDirectories(dir.resolve("tiny-dir"));
        Files.createDirectories(dir.resolve("many"));
        Files.write(dir.resolve("small.txt"), "small enough to live in the inode\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("tiny-dir/a"), "a".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("tiny-dir/b"), new byte[0]);
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.write(dir.resolve("big.bin"), RandomData.bytes(11, (3 << 20) + 77));
        Files.write(dir.resolve("sub/mid.bin"), RandomData.bytes(12, 300_000));
        Files.write(dir.resolve("sub/deeper/notes.txt"), RandomData.text(13, 70_000));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sparse.bin").toFile(), "rw")) {
            byte[] island = RandomData.bytes(14, 5000);
            for (int i = 0; i < 12; i++) {
                f.seek(i * 600_000L);
                f.write(island);
            }
            // Ends in data: mke2fs -d with inline_data drops a trailing hole from the size.
            f.seek(10_000_000 - island.length);
            f.write(island);
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("far.bin").toFile(), "rw")) {
            // Past 64 MiB: with 1 KiB blocks a block map reaches this through the triple indirect block.
            f.seek(70_000_000);
            f.write(RandomData.bytes(15, 3000));
        }
        for (int i = 0; i < manyNames; i++) {
            Files.write(dir.resolve("many/a-rather-long-file-name-to-fill-folder-blocks-" + i), Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        Files.createLink(dir.resolve("sub/hardlink.bin"), dir.resolve("sub/mid.bin"));
        Files.createSymbolicLink(dir.resolve("short-link"), Path.of("small.txt"));
        Files.createSymbolicLink(dir.resolve("sub/long-link"), Path.of(LONG_TARGET));
        DiskTools.ok("mkfifo", dir.resolve("fifo").toString());
        DiskTools.ok("setfattr", "-n", "user.small", "-v", "tiny value", dir.resolve("small.txt").toString());
        DiskTools.ok("setfattr", "-n", "user.large", "-v", "0x" + "ab".repeat(600), dir.resolve("big.bin").toString());
        DiskTools.ok("setfattr", "-n", "user.second", "-v", "2", dir.resolve("big.bin").toString());
        DiskTools.ok("setfattr", "-n", "user.on-folder", "-v", "yes", dir.resolve("sub").toString());
        Files.setPosixFilePermissions(dir.resolve("sub"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(dir.resolve("small.txt"), PosixFilePermissions.fromString("rw-------"));
        DiskTools.ok("chmod", "4755", dir.resolve("sub/mid.bin").toString());
        return dir;
    }
}
