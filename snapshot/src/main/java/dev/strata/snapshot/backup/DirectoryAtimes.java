package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Timespec;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The access times folders had before this backup listed them. The progress {@link Scanner} runs
 * ahead of the walker and lists folders first; under relatime, that listing moves a folder's atime,
 * and the walker would save the backup's own time. The scanner notes each folder's atime before it
 * lists it (and forgets it if the listing did not move it); the walker takes the noted one. Holds
 * only the folders the scanner has moved and the walker has not reached yet. Thread-safe.
 */
final class DirectoryAtimes {
    private record Key(long device, long inode) {
    }

    private final ConcurrentHashMap<Key, Timespec> before = new ConcurrentHashMap<>();

    /** The scanner is about to list the folder whose status (taken before) is {@code st}. */
    void listing(FileStatus st) {
        before.putIfAbsent(key(st), st.atime());
    }

    /** The scanner listed the folder; {@code after} is its status now. */
    void listed(FileStatus st, FileStatus after) {
        if (after.atime().equals(st.atime())) {
            before.remove(key(st), st.atime());
        }
    }

    /** The atime to save for the folder whose status the walker took: the one from before any listing. */
    Timespec atime(FileStatus st) {
        Timespec noted = before.remove(key(st));
        return noted != null ? noted : st.atime();
    }

    private static Key key(FileStatus st) {
        return new Key(st.device(), st.inode());
    }
}
