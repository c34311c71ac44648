package dev.strata.volume.view;

import dev.strata.core.view.Inodes;

/**
 * The inode numbers the mount shows for a volume's inodes: a hash of the volume's id and the inode
 * (stable across mounts, apart from those of other volumes and snapshots), remembered for recently
 * used inodes, since the kernel asks for a file's attributes some eight times while a program saves
 * it and each answer hashed again. Thread-safe: slots hold immutable entries, and a slot read while
 * another thread fills it is at worst a miss.
 */
final class MountInodes {
    private static final int SLOTS = 1 << 13;

    private record Known(long ino, long shown) {
    }

    private final byte[] volumeId;
    private final Known[] recent = new Known[SLOTS];

    MountInodes(byte[] volumeId) {
        this.volumeId = volumeId.clone();
    }

    long of(long ino) {
        int slot = (int) (ino & (SLOTS - 1));
        Known k = recent[slot];
        if (k != null && k.ino() == ino) {
            return k.shown();
        }
        long shown = Inodes.ofSaved(volumeId, -1, ino);
        recent[slot] = new Known(ino, shown);
        return shown;
    }
}
