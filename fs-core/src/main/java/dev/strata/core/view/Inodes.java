package dev.strata.core.view;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable inode numbers: a 63-bit hash of what identifies an entry (a snapshot and the entry's
 * original device and inode, or a view path), the same on every mount. Thread-safe (stateless).
 */
public final class Inodes {
    private Inodes() {
    }

    /** The inode of a view's own entry (a folder or link that exists only in the view). */
    public static long ofPath(String viewPath) {
        return hash(("view:" + viewPath).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The inode of a saved entry: its snapshot and original (device, inode), so names that were hard
     * links when saved are hard links again in the view.
     */
    public static long ofSaved(byte[] snapshotId, long device, long inode) {
        byte[] b = new byte[snapshotId.length + 16];
        System.arraycopy(snapshotId, 0, b, 0, snapshotId.length);
        for (int i = 0; i < 8; i++) {
            b[snapshotId.length + i] = (byte) (device >>> (8 * i));
            b[snapshotId.length + 8 + i] = (byte) (inode >>> (8 * i));
        }
        return hash(b);
    }

    /** Listing a folder hashes every entry: one digest per thread, not one lookup per entry. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static long hash(byte[] b) {
        byte[] d = SHA256.get().digest(b);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        v &= Long.MAX_VALUE;
        // 0 and 1 are reserved (1 is FUSE's root).
        return v < 2 ? v + 2 : v;
    }
}
