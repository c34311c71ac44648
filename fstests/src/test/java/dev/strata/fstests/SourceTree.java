package dev.strata.fstests;

import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * A source folder holding every kind of entry and metadata a mount must show faithfully: files of
 * many sizes (some spanning many chunks), unusual modes, other owners, nanosecond times, xattrs,
 * hard links across folders, symlinks, a sparse file, a fifo, a device node, deep and odd names.
 */
final class SourceTree {
    static final String LARGE = "data/large.bin";
    static final String SPARSE = "data/sparse.img";

    private SourceTree() {
    }

    static Path create(Path root) throws IOException {
        Posix posix = Posix.get();
        Random random = new Random(42);
        Files.createDirectories(root.resolve("docs/deep/er/still/deeper"));
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("empty dir"));
        Files.createDirectories(root.resolve("links"));
        Files.writeString(root.resolve("docs/readme.txt"), "Strata keeps every version.\n".repeat(100));
        Files.writeString(root.resolve("docs/deep/er/still/deeper/note.md"), "# deep\n");
        Files.write(root.resolve("docs/empty"), new byte[0]);
        Files.writeString(root.resolve("docs/ünïcödé ✓ name.txt"), "names are bytes too\n");
        for (int i = 0; i < 50; i++) {
            Files.writeString(root.resolve("docs/deep/file-" + i + ".log"), ("line " + i + " of a log\n").repeat(i * 20));
        }
        byte[] large = new byte[24 << 20];
        random.nextBytes(large);
        Files.write(root.resolve(LARGE), large);
        byte[] medium = new byte[3 << 20];
        random.nextBytes(medium);
        Files.write(root.resolve("data/medium.bin"), medium);
        sparse(root.resolve(SPARSE));

        Path shared = root.resolve("data/shared.txt");
        Files.writeString(shared, "one content, three names\n");
        Files.createLink(root.resolve("docs/shared-link.txt"), shared);
        Files.createLink(root.resolve("links/shared-again.txt"), shared);
        Files.createSymbolicLink(root.resolve("links/relative"), Path.of("../docs/readme.txt"));
        Files.createSymbolicLink(root.resolve("links/absolute"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("links/dangling"), Path.of("nowhere/at/all"));
        posix.mkfifo(root.resolve("data/fifo"), 0640);
        posix.mknod(root.resolve("data/null-device"), dev.strata.core.posix.FileMode.S_IFCHR | 0600, dev.strata.core.posix.DeviceNumbers.makedev(1, 3));

        Path secret = root.resolve("docs/secret.txt");
        Files.writeString(secret, "mode 0600, owned by 1234:2345\n");
        posix.chmod(secret, 0600);
        posix.lchown(secret, 1234, 2345);
        Path tool = root.resolve("data/setuid-tool");
        Files.writeString(tool, "#!/bin/sh\n");
        posix.chmod(tool, 04755);
        posix.chmod(root.resolve("empty dir"), 01777);
        posix.setXattr(root.resolve("docs/readme.txt"), "user.colour", "blue".getBytes(StandardCharsets.UTF_8));
        posix.setXattr(root.resolve("docs/readme.txt"), "user.binary", new byte[]{0, 1, 2, (byte) 255});
        posix.setXattr(root.resolve("docs"), "user.folder", "yes".getBytes(StandardCharsets.UTF_8));

        // Nanosecond times, set last and children first so folder times stay as set.
        long n = 0;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Timespec t = new Timespec(1_600_000_000L + 1000 * n, (int) (123_456_789 + n) % 1_000_000_000);
                posix.setTimes(p, new Timespec(1_650_000_000L, 987_654_321), t, false);
                n++;
            }
        }
        return root;
    }

    /** 64 MiB with three small data regions: holes must stay holes. */
    private static void sparse(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at : new long[]{0, 20L << 20, (64L << 20) - 4096}) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                while (b.hasRemaining()) {
                    b.put((byte) ('a' + (at >> 20) % 26));
                }
                b.flip();
                ch.write(b, at);
            }
        }
    }
}
