package dev.strata.fuse;

import java.util.HashMap;
import java.util.Map;

/**
 * The handles open for writing, by file (inode number) and by the name they were opened with: whether
 * a file is being written through one name only, so that an open of that name may keep the kernel's
 * pages of it (see {@link FuseAdapter#open}). libfuse 2 gives each name of a file a kernel node of its
 * own, with pages of its own, so the name matters as much as the file. Thread-safe.
 */
final class OpenWriters {
    /** Per inode: the names its writable handles were opened by, and how many by each. */
    private final Map<Long, Map<String, Integer>> byInode = new HashMap<>();

    synchronized void opened(long inode, String path) {
        byInode.computeIfAbsent(inode, k -> new HashMap<>()).merge(path, 1, Integer::sum);
    }

    synchronized void closed(long inode, String path) {
        Map<String, Integer> names = byInode.get(inode);
        if (names == null) {
            return;
        }
        names.computeIfPresent(path, (k, n) -> n == 1 ? null : n - 1);
        if (names.isEmpty()) {
            byInode.remove(inode);
        }
    }

    /** Whether file {@code inode} has handles open for writing, and all of them were opened by {@code path}. */
    synchronized boolean onlyThrough(long inode, String path) {
        Map<String, Integer> names = byInode.get(inode);
        return names != null && names.size() == 1 && names.containsKey(path);
    }

    /** Whether any file has a handle open for writing: else no open needs to look further. */
    synchronized boolean any() {
        return !byInode.isEmpty();
    }
}
