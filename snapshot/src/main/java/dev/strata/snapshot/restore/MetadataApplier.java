package dev.strata.snapshot.restore;

import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Gives a restored entry the metadata of its node, in the order that keeps every bit: owner first
 * (chown clears setuid/setgid), then mode, xattrs, and the times last (the other steps change
 * ctime, and writing an xattr can touch mtime on some filesystems). Thread-safe.
 */
final class MetadataApplier {
    private final Posix posix;
    private final boolean owners;

    MetadataApplier(Posix posix, boolean owners) {
        this.posix = posix;
        this.owners = owners;
    }

    /** Applies what it can; each failure goes to {@code problem} with the path. */
    void apply(Path path, Node node, BiConsumer<Path, String> problem) {
        boolean symlink = node.type() == NodeType.SYMLINK;
        if (owners) {
            try {
                posix.lchown(path, (int) node.uid(), (int) node.gid());
            } catch (IOException e) {
                problem.accept(path, "owner not restored: " + e.getMessage());
            }
        }
        if (!symlink) {
            try {
                posix.chmod(path, node.mode());
            } catch (IOException e) {
                problem.accept(path, "mode not restored: " + e.getMessage());
            }
        }
        for (Xattr x : node.xattrs()) {
            try {
                posix.setXattr(path, x.name(), x.value());
            } catch (IOException e) {
                problem.accept(path, "extended attribute " + x.name() + " not restored: " + e.getMessage());
            }
        }
        try {
            posix.setTimes(path, ts(node.atime()), ts(node.mtime()), false);
        } catch (IOException e) {
            problem.accept(path, "times not restored: " + e.getMessage());
        }
    }

    private static Timespec ts(Timestamp t) {
        return new Timespec(t.seconds(), t.nanos());
    }
}
