package dev.strata.volume.state;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest records of recently used inodes and folder entries, as the state's session sees them
 * (committed to disk or not), so that the calls a kernel makes most (getattr, getxattr, lookup) are
 * answered without the session: no wait for the step running in it, no LMDB read, no decoding. A
 * folder entry may be known to be absent. Thread-safe for reading; changed only inside the session
 * (one step or read at a time): by a read that missed, and by a step once its nested transaction has
 * committed (what a step writes waits in {@code pending} until then), so it never holds what a failed
 * step wrote and never runs behind a step that succeeded.
 */
final class RecordCache {
    /** Entries of each kind above which the cache starts again empty (a few hundred bytes each). */
    static final int MAX = 100_000;
    /** The child of an entry known to be absent. */
    static final long ABSENT = 0;

    private final Map<Long, Inode> inodes = new ConcurrentHashMap<>();
    private final Map<EntryKey, Long> entries = new ConcurrentHashMap<>();
    /** What the step running in the session wrote: null for a deletion. Inside the session only. */
    private final Map<Long, Inode> pendingInodes = new HashMap<>();
    private final Map<EntryKey, Long> pendingEntries = new HashMap<>();

    /** A folder entry's key: the folder's inode and the name's bytes. Immutable. */
    private static final class EntryKey {
        private final long parent;
        private final byte[] name;
        private final int hash;

        EntryKey(long parent, byte[] name) {
            this.parent = parent;
            this.name = name.clone();
            this.hash = Long.hashCode(parent) * 31 + Arrays.hashCode(name);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EntryKey k && k.parent == parent && Arrays.equals(k.name, name);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The record of {@code ino}, or null when it is not cached (it may exist or not). */
    Inode inode(long ino) {
        return inodes.get(ino);
    }

    /** The child named {@code name} in {@code parent}, {@link #ABSENT}, or null when not cached. */
    Long entry(long parent, byte[] name) {
        return entries.get(new EntryKey(parent, name));
    }

    // --- inside the session only ---------------------------------------------------------------

    /** A read in the session found {@code n}. */
    void read(Inode n) {
        if (inodes.size() >= MAX) {
            inodes.clear();
        }
        inodes.put(n.ino(), n);
    }

    /** A read in the session found entry {@code name} of {@code parent} naming {@code child} (or ABSENT). */
    void readEntry(long parent, byte[] name, long child) {
        if (entries.size() >= MAX) {
            entries.clear();
        }
        entries.put(new EntryKey(parent, name), child);
    }

    /** A step begins: nothing of an earlier step that failed stays pending. */
    void begin() {
        pendingInodes.clear();
        pendingEntries.clear();
    }

    void wrote(Inode n) {
        pendingInodes.put(n.ino(), n);
    }

    void deleted(long ino) {
        pendingInodes.put(ino, null);
    }

    void wroteEntry(long parent, byte[] name, long child) {
        pendingEntries.put(new EntryKey(parent, name), child);
    }

    void deletedEntry(long parent, byte[] name) {
        pendingEntries.put(new EntryKey(parent, name), ABSENT);
    }

    /** The step's transaction committed: what it wrote is what the session sees now. */
    void committed() {
        if (inodes.size() + pendingInodes.size() > MAX) {
            inodes.clear();
        }
        for (Map.Entry<Long, Inode> e : pendingInodes.entrySet()) {
            if (e.getValue() == null) {
                inodes.remove(e.getKey());
            } else {
                inodes.put(e.getKey(), e.getValue());
            }
        }
        if (entries.size() + pendingEntries.size() > MAX) {
            entries.clear();
        }
        entries.putAll(pendingEntries);
        begin();
    }
}
