package dev.strata.cli.command;

import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies files out of a browsed image (a file, or a folder with everything below it) with their
 * modes, times, xattrs, symlinks and hard links, and owners when run as root. A file that cannot
 * be read (damage in the image) is reported and skipped; the rest is copied. Not thread-safe.
 */
final class ImageFilesExport {
    private static final int PIECE = 1 << 20;

    private final Posix posix = Posix.get();
    private final boolean root = posix.effectiveUid() == 0;
    private final Map<Long, Path> linked = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    long files;
    long bytes;

    void export(ViewNode node, Path target) throws IOException {
        Attributes a;
        try {
            a = node.attributes();
        } catch (IOException e) {
            problems.add(target + ": " + e.getMessage());
            return;
        }
        try {
            switch (a.type()) {
                case DIRECTORY -> {
                    Files.createDirectory(target);
                    for (DirEntry e : node.list()) {
                        ViewNode child = node.child(e.name()).orElse(null);
                        if (child != null) {
                            export(child, target.resolve(e.name()));
                        }
                    }
                }
                case FILE -> {
                    Path first = a.links() > 1 ? linked.get(a.inode()) : null;
                    if (first != null) {
                        Files.createLink(target, first);
                        return;
                    }
                    copy(node, a.size(), target);
                    linked.put(a.inode(), target);
                    files++;
                }
                case SYMLINK -> Files.createSymbolicLink(target, Path.of(new String(node.readLink(), StandardCharsets.UTF_8)));
                case FIFO -> posix.mknod(target, 0010000 | a.mode(), 0);
                default -> {
                    if (!root) {
                        problems.add(target + ": a device or socket, which only root can create; skipped");
                        return;
                    }
                    int kind = a.type() == NodeType.CHAR_DEVICE ? 0020000 : a.type() == NodeType.BLOCK_DEVICE ? 0060000 : 0140000;
                    posix.mknod(target, kind | a.mode(), a.rdev());
                }
            }
            metadata(node, a, target);
        } catch (IOException e) {
            problems.add(target + ": " + e.getMessage());
        }
    }

    private void copy(ViewNode node, long size, Path target) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OpenFile in = node.open()) {
            byte[] buf = new byte[PIECE];
            boolean[] data = new boolean[1];
            for (long pos = 0; pos < size; ) {
                data[0] = false;
                int n = in.read(pos, (int) Math.min(PIECE, size - pos), new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, buf, at, length);
                        data[0] = true;
                    }

                    @Override
                    public void zero(int at, int length) {
                        java.util.Arrays.fill(buf, at, at + length, (byte) 0);
                    }
                });
                if (n <= 0) {
                    throw new IOException("ended at " + pos + " of " + size + " bytes");
                }
                if (data[0] && !allZero(buf, n)) {
                    // Runs of zeros are left as holes, so sparse files stay sparse.
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    long at = pos;
                    while (b.hasRemaining()) {
                        at += out.write(b, at);
                    }
                }
                pos += n;
                bytes += n;
            }
            if (out.size() < size) {
                // A trailing hole: the length is set, no zeros are written.
                posix.truncate(target, size);
            }
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void metadata(ViewNode node, Attributes a, Path target) throws IOException {
        boolean link = a.type() == NodeType.SYMLINK;
        if (!link) {
            for (Xattr x : node.xattrs()) {
                if (root || x.name().startsWith("user.")) {
                    try {
                        posix.setXattr(target, x.name(), x.value());
                    } catch (IOException e) {
                        problems.add(target + ": xattr " + x.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        if (root) {
            posix.lchown(target, (int) a.uid(), (int) a.gid());
        }
        if (!link) {
            posix.chmod(target, a.mode());
        }
        posix.setTimes(target, new Timespec(a.atime().seconds(), a.atime().nanos()), new Timespec(a.mtime().seconds(), a.mtime().nanos()), false);
    }
}
