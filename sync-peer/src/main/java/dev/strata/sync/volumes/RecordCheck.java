package dev.strata.sync.volumes;

import dev.strata.core.tree.NodeType;
import dev.strata.sync.wire.FrameException;
import dev.strata.volume.state.SyncRecord;

/**
 * The checks a peer's records pass before any of them is applied (docs/sync.md, "Records a device
 * refuses"): a path that stays inside the volume, a type that travels, a version vector that names its
 * sender and does not go back on what the sender said before, sequence numbers in order. A record that
 * fails is a malformed message: its whole batch is refused and the connection dropped. Stateless.
 */
final class RecordCheck {
    /** The longest path a record may carry, in bytes (Linux's PATH_MAX, its NUL included). */
    static final int MAX_PATH_BYTES = 4095;
    /** The longest name in a path, in bytes (Linux's NAME_MAX). */
    static final int MAX_NAME_BYTES = 255;

    private RecordCheck() {
    }

    /** Why {@code path} cannot name a place in a volume, or null if it can. */
    static String badPath(byte[] path) {
        if (path.length == 0) {
            return "an empty path";
        }
        if (path.length > MAX_PATH_BYTES) {
            return "a path of " + path.length + " bytes, more than " + MAX_PATH_BYTES;
        }
        if (path[0] == '/') {
            return "an absolute path";
        }
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i < path.length && path[i] == 0) {
                return "a path with a NUL byte";
            }
            if (i == path.length || path[i] == '/') {
                int len = i - start;
                if (len == 0) {
                    return "a path with an empty name in it";
                }
                if (len > MAX_NAME_BYTES) {
                    return "a name of " + len + " bytes in the path, more than " + MAX_NAME_BYTES;
                }
                if (path[start] == '.' && (len == 1 || (len == 2 && path[start + 1] == '.'))) {
                    return "a path with '" + (len == 1 ? "." : "..") + "' in it";
                }
                start = i + 1;
            }
        }
        return null;
    }

    /**
     * Checks {@code remote}, the peer's record at a place in its batch after one of sequence
     * {@code previousSeq} (0: the first) of a message through {@code through}, against this device's
     * record of the path ({@code local}, null if none). {@code peer} is the sender's short id.
     */
    static void check(SyncRecord remote, SyncRecord local, long peer, long previousSeq, long through)
            throws FrameException {
        String bad = badPath(remote.path());
        if (bad != null) {
            throw new FrameException("a record with " + bad);
        }
        String at = " at " + remote.printablePath();
        if (remote.type() != NodeType.FILE && remote.type() != NodeType.DIRECTORY && remote.type() != NodeType.SYMLINK) {
            throw new FrameException("a record of a " + remote.type() + at + " (only files, folders and symlinks travel)");
        }
        if (remote.type() == NodeType.SYMLINK && !remote.deleted()) {
            byte[] t = remote.target();
            if (t.length == 0 || t.length > MAX_PATH_BYTES) {
                throw new FrameException("a symlink" + at + " with a target of " + t.length + " bytes");
            }
            for (byte b : t) {
                if (b == 0) {
                    throw new FrameException("a symlink" + at + " with a NUL byte in its target");
                }
            }
        }
        if (remote.size() < 0) {
            throw new FrameException("a record" + at + " of size " + remote.size());
        }
        if (remote.vector().size() == 0) {
            throw new FrameException("a record" + at + " with an empty version vector");
        }
        if (remote.seq() <= previousSeq || remote.seq() > through) {
            throw new FrameException("a record" + at + " of sequence " + remote.seq() + " after " + previousSeq
                    + " in a message through " + through + " (sequence numbers go up)");
        }
        if (local != null && remote.vector().counterOf(peer) < local.vector().counterOf(peer)) {
            throw new FrameException("a record" + at + " whose version vector goes backwards: the sender's own counter "
                    + remote.vector().counterOf(peer) + ", where it said " + local.vector().counterOf(peer) + " before");
        }
    }
}
