package dev.strata.fstests;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;

/**
 * A random-operation tester for one file, in the manner of fsx: seeded writes at any offset,
 * truncates up and down, writes and reads through a shared writable mapping, holes, fsync and
 * fdatasync, and closing and reopening the file (which seals a version on the live volume). After
 * every operation the bytes it touched and a random window are read back and compared with an
 * in-memory model; every few hundred operations, and at each reopen, the whole file. The first
 * mismatch fails with the seed, the operation number and the last operations. Confined to one thread.
 */
final class Fsx {
    /** The file never grows beyond this, so the model fits in memory. */
    static final int MAX_LENGTH = 6 << 20;
    private static final int FULL_CHECK_EVERY = 500;
    private static final int HISTORY = 30;

    private final Path file;
    private final long seed;
    private final Random random;
    private final Libc.Functions c = Libc.c();
    private final byte[] model = new byte[MAX_LENGTH];
    private final Deque<String> recent = new ArrayDeque<>();
    private int length;
    private int fd = -1;
    private long op;

    /** Counts of what ran, for the test's report. */
    final int[] counts = new int[Kind.values().length];

    enum Kind { WRITE, TRUNCATE, HOLE, MAP_WRITE, MAP_READ, FSYNC, REOPEN }

    Fsx(Path file, long seed) {
        this.file = file;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Runs {@code operations} random operations on a new file; fails at the first difference from the model. */
    void run(long operations) throws Exception {
        open(Libc.O_CREAT | Libc.O_TRUNC | Libc.O_RDWR);
        try {
            for (op = 1; op <= operations; op++) {
                step();
                if (op % FULL_CHECK_EVERY == 0) {
                    checkAll();
                }
            }
            checkAll();
            reopen();
            checkAll();
        } finally {
            if (fd >= 0) {
                c.close(fd);
                fd = -1;
            }
        }
    }

    private void step() throws Exception {
        int dice = random.nextInt(100);
        if (dice < 40) {
            write();
        } else if (dice < 52) {
            truncate();
        } else if (dice < 56) {
            hole();
        } else if (dice < 72) {
            mapWrite();
        } else if (dice < 80) {
            mapRead();
        } else if (dice < 90) {
            sync();
        } else if (dice < 93) {
            reopen();
            checkAll();
        } else {
            write();
        }
        // A random window of the file, wherever it is.
        if (length > 0) {
            int at = random.nextInt(length);
            check(at, Math.min(length - at, 1 + random.nextInt(64 << 10)));
        }
    }

    private void write() {
        // An append needs room: a file already MAX_LENGTH long is written inside instead.
        boolean append = random.nextInt(100) < 20 && length > 0 && length < MAX_LENGTH;
        int at = append ? length : random.nextInt(MAX_LENGTH - 1);
        int max = random.nextInt(10) == 0 ? 1 << 20 : 64 << 10;
        int n = 1 + random.nextInt(Math.min(max, MAX_LENGTH - at));
        byte[] b = bytes(n);
        note(Kind.WRITE, "pwrite " + n + " at " + at);
        long r = c.pwrite(fd, b, n, at);
        expect(r == n, "pwrite returned " + r + (r < 0 ? " " + Errno.name(Libc.errno()) : ""));
        System.arraycopy(b, 0, model, at, n);
        if (at > length) {
            Arrays.fill(model, length, at, (byte) 0);
        }
        length = Math.max(length, at + n);
        check(Math.max(0, at - 100), Math.min(length, at + n + 100) - Math.max(0, at - 100));
    }

    private void truncate() {
        int to = random.nextInt(3) == 0 ? random.nextInt(Math.max(1, length + 1)) : random.nextInt(MAX_LENGTH);
        resize(to, Kind.TRUNCATE);
    }

    /** A long run of zeros nobody wrote: extends the file by 1 to 3 MiB and writes a little after it. */
    private void hole() {
        int room = MAX_LENGTH - length;
        if (room < (2 << 20)) {
            resize(random.nextInt(1 << 20), Kind.HOLE);
            return;
        }
        int to = length + (1 << 20) + random.nextInt(Math.min(2 << 20, room - (1 << 20)));
        resize(to, Kind.HOLE);
        int n = 1 + random.nextInt(Math.min(4096, MAX_LENGTH - to));
        byte[] b = bytes(n);
        note(Kind.HOLE, "pwrite " + n + " after the hole at " + to);
        long r = c.pwrite(fd, b, n, to);
        expect(r == n, "pwrite returned " + r);
        System.arraycopy(b, 0, model, to, n);
        length = to + n;
        check(Math.max(0, to - (1 << 20)), length - Math.max(0, to - (1 << 20)));
    }

    private void resize(int to, Kind kind) {
        note(kind, "ftruncate from " + length + " to " + to);
        expect(c.ftruncate(fd, to) == 0, "ftruncate failed with " + Errno.name(Libc.errno()));
        if (to > length) {
            Arrays.fill(model, length, to, (byte) 0);
        }
        length = to;
        expect(Libc.fstat(fd).size() == to, "size after ftruncate is " + Libc.fstat(fd).size());
        check(Math.max(0, to - 4096), to - Math.max(0, to - 4096));
    }

    /** Writes through a shared writable mapping of part of the file (a mapping never grows a file). */
    private void mapWrite() throws Exception {
        if (length < 2) {
            write();
            return;
        }
        int at = random.nextInt(length - 1);
        int span = 1 + random.nextInt(Math.min(length - at, 256 << 10));
        note(Kind.MAP_WRITE, "mmap write " + span + " at " + at);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, at, span);
            int writes = 1 + random.nextInt(8);
            for (int i = 0; i < writes; i++) {
                int off = random.nextInt(span);
                int n = 1 + random.nextInt(Math.min(span - off, 8192));
                byte[] b = bytes(n);
                map.put(off, b, 0, n);
                System.arraycopy(b, 0, model, at + off, n);
            }
            if (random.nextBoolean()) {
                map.force();
            }
            PosixFilesIT.unmap(map);
        }
        check(at, span);
    }

    private void mapRead() throws Exception {
        if (length < 1) {
            return;
        }
        int at = random.nextInt(length);
        int span = 1 + random.nextInt(Math.min(length - at, 256 << 10));
        note(Kind.MAP_READ, "mmap read " + span + " at " + at);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, at, span);
            byte[] got = new byte[span];
            map.get(0, got);
            PosixFilesIT.unmap(map);
            compare(at, got, span, "mapping");
        }
    }

    private void sync() {
        boolean data = random.nextBoolean();
        note(Kind.FSYNC, data ? "fdatasync" : "fsync");
        int r = data ? c.fdatasync(fd) : c.fsync(fd);
        expect(r == 0, "fsync failed with " + Errno.name(Libc.errno()));
    }

    private void reopen() {
        note(Kind.REOPEN, "close and reopen");
        expect(c.close(fd) == 0, "close failed with " + Errno.name(Libc.errno()));
        fd = -1;
        open(Libc.O_RDWR);
        expect(Libc.fstat(fd).size() == length, "size after reopen is " + Libc.fstat(fd).size() + ", not " + length);
    }

    private void open(int flags) {
        fd = c.open(Libc.bytes(file), flags, 0644);
        expect(fd >= 0, "open failed with " + Errno.name(Libc.errno()));
    }

    /** Reads the whole file and compares it with the model. */
    void checkAll() {
        long size = Libc.fstat(fd).size();
        expect(size == length, "size is " + size + ", the model's " + length);
        for (int at = 0; at < length; at += 1 << 20) {
            check(at, Math.min(1 << 20, length - at));
        }
        byte[] past = new byte[16];
        expect(c.pread(fd, past, past.length, length) == 0, "a read at the end returned bytes");
    }

    private void check(int at, int n) {
        if (n <= 0) {
            return;
        }
        byte[] got = new byte[n];
        int done = 0;
        while (done < n) {
            byte[] part = new byte[n - done];
            long r = c.pread(fd, part, part.length, at + done);
            expect(r > 0, "pread at " + (at + done) + " returned " + r + (r < 0 ? " " + Errno.name(Libc.errno()) : " (early end)"));
            System.arraycopy(part, 0, got, done, (int) r);
            done += (int) r;
        }
        compare(at, got, n, "pread");
    }

    private void compare(int at, byte[] got, int n, String how) {
        for (int i = 0; i < n; i++) {
            if (got[i] != model[at + i]) {
                fail(how + " at " + (at + i) + " gave " + got[i] + ", the model has " + model[at + i]
                        + " (range " + at + "+" + n + ", length " + length + ")");
            }
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        if (random.nextInt(8) == 0) {
            // Now and then zeros that were written: they are data, not a hole.
            Arrays.fill(b, (byte) 0);
        }
        return b;
    }

    private void note(Kind kind, String what) {
        counts[kind.ordinal()]++;
        recent.addLast("#" + op + " " + what);
        if (recent.size() > HISTORY) {
            recent.removeFirst();
        }
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            fail(what);
        }
    }

    private void fail(String what) {
        throw new AssertionError("fsx seed " + seed + ", operation " + op + " on " + file + ": " + what
                + "\n  the last operations:\n    " + String.join("\n    ", recent));
    }

    String summary() {
        StringBuilder sb = new StringBuilder("seed " + seed + ": " + (op - 1) + " operations (");
        for (Kind k : Kind.values()) {
            sb.append(k.name().toLowerCase()).append(' ').append(counts[k.ordinal()]).append(k == Kind.REOPEN ? "" : ", ");
        }
        return sb.append("), final length ").append(length).toString();
    }
}
