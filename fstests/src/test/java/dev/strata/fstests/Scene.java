package dev.strata.fstests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The folder one POSIX case runs in — on the live volume or on the local disk — and the trace of
 * what every call there returned. A case states what it expects ({@link #ok}, {@link #fails}) and
 * notes what the two filesystems must agree on ({@link #note}, {@link #shows}); {@link Twin}
 * compares the traces. Confined to the thread running the case.
 */
final class Scene {
    /** Someone who is not root, for the cases about permissions. */
    static final int NOBODY = 65534;
    static final int OTHER = 4242;

    final String where;
    final Path root;
    final Libc.Functions c = Libc.c();
    private final List<String> trace = new ArrayList<>();

    Scene(String where, Path root) {
        this.where = where;
        this.root = root;
    }

    List<String> trace() {
        return List.copyOf(trace);
    }

    /** The NUL-terminated bytes of {@code rel} below the case's folder ("" is the folder). */
    byte[] p(String rel) {
        return Libc.bytes(path(rel));
    }

    Path path(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    // --- results --------------------------------------------------------------------------------

    /** Expects success (not -1); records it and returns the result. */
    long ok(String what, long result) {
        int errno = result == -1 ? Libc.errno() : 0;
        if (result == -1) {
            throw new AssertionError(where + ": " + what + " failed with " + Errno.name(errno) + "\n" + traceText());
        }
        trace.add(what + " = ok");
        return result;
    }

    int okFd(String what, int fd) {
        return (int) ok(what, fd);
    }

    /** Expects failure with {@code errno}; records it. */
    void fails(int errno, String what, long result) {
        int got = result == -1 ? Libc.errno() : 0;
        trace.add(what + " = " + (result == -1 ? Errno.name(got) : "ok"));
        if (result != -1 || got != errno) {
            throw new AssertionError(where + ": " + what + " should fail with " + Errno.name(errno) + " but "
                    + (result == -1 ? "failed with " + Errno.name(got) : "returned " + result) + "\n" + traceText());
        }
    }

    /** Records the result without expecting either way; the two filesystems must agree. Returns it. */
    long outcome(String what, long result) {
        trace.add(what + " = " + (result == -1 ? Errno.name(Libc.errno()) : "ok"));
        return result;
    }

    /** Records a value both filesystems must show alike. */
    void note(String label, Object value) {
        trace.add(label + ": " + (value instanceof byte[] b ? Arrays.toString(b) : value));
    }

    /** Expects {@code value} and records it. */
    void expect(String label, Object expected, Object value) {
        note(label, value);
        if (!java.util.Objects.deepEquals(expected, value)) {
            throw new AssertionError(where + ": " + label + " should be " + expected + " but is " + value + "\n" + traceText());
        }
    }

    // --- status ---------------------------------------------------------------------------------

    Libc.Stat lstat(String rel) {
        Libc.Stat s = Libc.statx(p(rel), false);
        if (s == null) {
            throw new AssertionError(where + ": lstat " + rel + " failed with " + Errno.name(Libc.errno()) + "\n" + traceText());
        }
        return s;
    }

    Libc.Stat stat(String rel) {
        Libc.Stat s = Libc.statx(p(rel), true);
        if (s == null) {
            throw new AssertionError(where + ": stat " + rel + " failed with " + Errno.name(Libc.errno()) + "\n" + traceText());
        }
        return s;
    }

    Libc.Stat fstat(int fd) {
        Libc.Stat s = Libc.fstat(fd);
        if (s == null) {
            throw new AssertionError(where + ": fstat " + fd + " failed with " + Errno.name(Libc.errno()));
        }
        return s;
    }

    /** Whether {@code rel} exists (lstat), recorded. */
    boolean exists(String rel) {
        boolean e = Libc.statx(p(rel), false) != null;
        note("exists " + rel, e);
        return e;
    }

    /**
     * Records what lstat shows of {@code rel} that any two filesystems share: type, permissions,
     * links, owner, and the size of anything but a folder (folder sizes are the filesystem's own).
     */
    Libc.Stat shows(String rel) {
        Libc.Stat s = lstat(rel);
        trace.add(describe(rel, s));
        return s;
    }

    /** The same for an open descriptor. */
    Libc.Stat showsFd(String label, int fd) {
        Libc.Stat s = fstat(fd);
        trace.add(describe(label, s));
        return s;
    }

    private static String describe(String label, Libc.Stat s) {
        return label + ": " + s.typeName() + " " + Integer.toOctalString(s.mode()) + " links " + s.nlink() + " owner "
                + s.uid() + ":" + s.gid() + (s.type() == Libc.S_IFDIR ? "" : " size " + s.size());
    }

    // --- files ----------------------------------------------------------------------------------

    /** Creates (or replaces) {@code rel} with {@code content}, mode 0644 before the umask. */
    void file(String rel, String content) {
        int fd = okFd("create " + rel, c.open(p(rel), Libc.O_CREAT | Libc.O_WRONLY | Libc.O_TRUNC, 0644));
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        expect("write " + rel, (long) b.length, c.write(fd, b, b.length));
        ok("close " + rel, c.close(fd));
    }

    void dir(String rel) {
        ok("mkdir " + rel, c.mkdir(p(rel), 0755));
    }

    /** The whole content of {@code rel} as text, read through one descriptor. */
    String read(String rel) {
        int fd = okFd("open " + rel + " to read", c.open(p(rel), Libc.O_RDONLY, 0));
        try {
            return readFd(fd);
        } finally {
            c.close(fd);
        }
    }

    /** Everything from offset 0 of an open descriptor. */
    String readFd(int fd) {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[65536];
        long at = 0;
        while (true) {
            long n = c.pread(fd, buf, buf.length, at);
            if (n < 0) {
                throw new AssertionError(where + ": pread failed with " + Errno.name(Libc.errno()));
            }
            if (n == 0) {
                return sb.toString();
            }
            sb.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
            at += n;
        }
    }

    /** Lets the clock move on, so that a time a change sets is visibly after the one before. */
    void tick() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /**
     * Waits out the kernel's attribute cache of the mount (a second). Through libfuse 2 each name of a
     * hard-linked file is a node of its own, so a change made through one name (a link, an unlink, a
     * write) shows through the others only when their cached attributes expire.
     */
    void settle() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Runs {@code body} with this thread's filesystem identity set to {@code uid}/{@code gid} (not root). */
    void as(int uid, int gid, Body body) throws Exception {
        c.setfsgid(gid);
        c.setfsuid(uid);
        try {
            body.run();
        } finally {
            c.setfsuid(0);
            c.setfsgid(0);
        }
    }

    /** A part of a case run under another identity. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    String traceText() {
        return "  trace on " + where + ":\n    " + String.join("\n    ", trace);
    }
}
