package dev.strata.snapshot.archive;

import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.testing.RandomData;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder with what archives must carry: modes, owners by number, nanosecond times, user xattrs, a
 * symlink, a hard link across folders, a FIFO, a sparse file, a multi-chunk file and a non-ASCII name.
 */
final class SampleTree {
    private SampleTree() {
    }

    /** Creates the tree in {@code root} (which must not exist); {@code binaryXattr} adds a value that is not UTF-8. */
    static Path create(Path root, boolean binaryXattr) throws IOException {
        Posix posix = Posix.get();
        Path docs = Files.createDirectories(root.resolve("docs"));
        Path other = Files.createDirectories(root.resolve("other"));
        Path a = Files.writeString(docs.resolve("a.txt"), "hello, archive\n");
        Files.write(docs.resolve("bin.dat"), RandomData.bytes(7, 3 << 20));
        Files.writeString(root.resolve("résumé.txt"), "non-ASCII name\n");
        Files.createSymbolicLink(docs.resolve("link"), Path.of("a.txt"));
        Files.createLink(other.resolve("b.txt"), a);
        posix.mkfifo(root.resolve("pipe"), 0640);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("sparse").toFile(), "rw")) {
            f.seek(2 << 20);
            f.write("after the hole".getBytes(StandardCharsets.UTF_8));
        }
        posix.setXattr(a, "user.note", "kept".getBytes(StandardCharsets.UTF_8));
        if (binaryXattr) {
            posix.setXattr(docs.resolve("bin.dat"), "user.raw", new byte[]{(byte) 0xff, 0, (byte) 0xfe, 1});
        }
        posix.chmod(a, 0640);
        posix.chmod(docs, 0750);
        posix.chmod(root.resolve("résumé.txt"), 0604);
        if (posix.effectiveUid() == 0) {
            posix.lchown(a, 1234, 2345);
            posix.lchown(docs.resolve("link"), 1234, 2345);
            posix.lchown(other, 4321, 2345);
        }
        long t = 1_700_000_000L;
        int i = 0;
        for (Path p : List.of(a, docs.resolve("bin.dat"), docs.resolve("link"), root.resolve("résumé.txt"),
                root.resolve("pipe"), root.resolve("sparse"), docs, other, root)) {
            Timespec ts = new Timespec(t + 1000L * i, 123_456_789 + i);
            posix.setTimes(p, ts, ts, false);
            i++;
        }
        return root;
    }
}
