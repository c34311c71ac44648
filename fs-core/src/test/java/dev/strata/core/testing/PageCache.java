package dev.strata.core.testing;

import jnr.ffi.LibraryLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel holds of a file, for tests of how much of a mapped file a command makes resident:
 * dropping a file's pages from the page cache, and the resident size of this process's mappings of it
 * (Linux only). Stateless, thread-safe.
 */
public final class PageCache {
    private static final int POSIX_FADV_DONTNEED = 4;

    /** The part of libc used here. */
    public interface Libc {
        int open(byte[] path, int flags);

        int posix_fadvise(int fd, long offset, long length, int advice);

        int close(int fd);
    }

    private static final Libc LIBC = LibraryLoader.create(Libc.class).load("c");

    private PageCache() {
    }

    /** Whether this system shows each mapping's resident size (/proc/self/smaps). */
    public static boolean measurable() {
        return Files.isReadable(Path.of("/proc/self/smaps"));
    }

    /** Drops the file's clean pages from the page cache: the next read of any of them goes to the disk. */
    public static void drop(Path file) {
        int fd = LIBC.open((file + "\0").getBytes(StandardCharsets.UTF_8), 0);
        if (fd < 0) {
            throw new IllegalStateException("open " + file);
        }
        try {
            if (LIBC.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0) {
                throw new IllegalStateException("posix_fadvise " + file);
            }
        } finally {
            LIBC.close(fd);
        }
    }

    /** The resident KiB of this process's mappings of {@code file}. */
    public static long residentKiB(Path file) throws IOException {
        String name = " " + file.toRealPath();
        long kib = 0;
        boolean inFile = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inFile = line.endsWith(name);
            } else if (inFile && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib;
    }
}
