package dev.strata.snapshot.restore;

import dev.strata.core.name.Printable;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives a restored entry the metadata of its node, in the order that keeps every bit: owner first
 * (chown clears setuid/setgid), then mode, xattrs, and the times last (the other steps change
 * ctime, and writing an xattr can touch mtime on some filesystems). Thread-safe.
 */
final class MetadataApplier {
    /** Where a failure goes: the entry as a person knows it, what was not restored, and why. */
    interface Problems {
        void report(Path path, String what, Exception why);
    }

    private final Posix posix;
    private final boolean owners;

    MetadataApplier(Posix posix, boolean owners) {
        this.posix = posix;
        this.owners = owners;
    }

    /** Applies what it can; each failure goes to {@code problems}. */
    void apply(Place place, Node node, Problems problems) {
        Path io = place.io();
        boolean symlink = node.type() == NodeType.SYMLINK;
        if (owners) {
            try {
                posix.lchown(io, (int) node.uid(), (int) node.gid());
            } catch (IOException e) {
                problems.report(place.path(), "owner not restored", e);
            }
        }
        if (!symlink) {
            try {
                posix.chmod(io, node.mode());
            } catch (IOException e) {
                problems.report(place.path(), "mode not restored", e);
            }
        }
        for (Xattr x : node.xattrs()) {
            try {
                posix.setXattr(io, x.name(), x.value());
            } catch (IOException e) {
                problems.report(place.path(), "extended attribute " + Printable.of(x.name()) + " not restored", e);
            }
        }
        try {
            posix.setTimes(io, ts(node.atime()), ts(node.mtime()), false);
        } catch (IOException e) {
            problems.report(place.path(), "times not restored", e);
        }
    }

    private static Timespec ts(Timestamp t) {
        return new Timespec(t.seconds(), t.nanos());
    }
}
