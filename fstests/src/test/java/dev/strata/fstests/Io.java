package dev.strata.fstests;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The libc calls of crash workloads, each throwing with its errno when it fails — a workload stops at
 * its first failure, which is how it notices that the mount died under it. Stateless, thread-safe.
 */
final class Io {
    private Io() {
    }

    static int open(Path p, int flags) throws IOException {
        int fd = Libc.c().open(Libc.bytes(p), flags, 0644);
        return (int) check(fd, "open " + p);
    }

    static void pwrite(int fd, byte[] b, long at) throws IOException {
        long done = 0;
        while (done < b.length) {
            byte[] rest = done == 0 ? b : java.util.Arrays.copyOfRange(b, (int) done, b.length);
            done += check(Libc.c().pwrite(fd, rest, rest.length, at + done), "pwrite at " + (at + done));
        }
    }

    static void append(int fd, byte[] b) throws IOException {
        long n = check(Libc.c().write(fd, b, b.length), "append");
        if (n != b.length) {
            throw new IOException("append wrote " + n + " of " + b.length + " bytes");
        }
    }

    static void fsync(int fd) throws IOException {
        check(Libc.c().fsync(fd), "fsync");
    }

    static void close(int fd) throws IOException {
        check(Libc.c().close(fd), "close");
    }

    static void rename(Path from, Path to) throws IOException {
        check(Libc.c().rename(Libc.bytes(from), Libc.bytes(to)), "rename " + from + " to " + to);
    }

    static void unlink(Path p) throws IOException {
        check(Libc.c().unlink(Libc.bytes(p)), "unlink " + p);
    }

    /** fsync of a folder: makes the creations, renames and removals in it durable. */
    static void fsyncDir(Path dir) throws IOException {
        int fd = (int) check(Libc.c().open(Libc.bytes(dir), Libc.O_RDONLY | Libc.O_DIRECTORY, 0), "open " + dir);
        try {
            check(Libc.c().fsync(fd), "fsync " + dir);
        } finally {
            Libc.c().close(fd);
        }
    }

    /** Writes {@code content} as a new file, fsyncs and closes it. */
    static void writeDurably(Path p, byte[] content) throws IOException {
        int fd = open(p, Libc.O_CREAT | Libc.O_TRUNC | Libc.O_WRONLY);
        try {
            pwrite(fd, content, 0);
            fsync(fd);
        } catch (IOException e) {
            Libc.c().close(fd);
            throw e;
        }
        close(fd);
    }

    private static long check(long result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + ": " + Errno.name(Libc.errno()));
        }
        return result;
    }
}
