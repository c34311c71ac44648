package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading back what was just written while other handles open and read the same file of a mounted
 * live volume. Every open of a volume file used to drop the file's cached pages, also the pages a
 * write of another handle had just filled and was still sending; a read of the opener could then
 * fetch such a page from the volume before the write reached it, and the kernel kept those old bytes
 * as the page's content, so that the writer read back zeros where it had written data. Each round
 * here makes a hole, writes whole pages over it and reads them back at once, while readers open and
 * read the file whole without pause. A mismatch says which round and page, and what the volume itself
 * answers for it (read with O_DIRECT, past the kernel's cache).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadAfterWriteRaceIT {
    private static final int PAGE = 4096;
    private static final int FILE_LENGTH = 2 << 20;
    private static final int READERS = 3;
    private static final long SECONDS = Long.getLong("race.seconds", 20);
    private static final int O_DIRECT = 040000;

    private final Libc.Functions c = Libc.c();
    private Path dir;
    private LiveMount mount;

    @BeforeAll
    void mountAVolume() throws Exception {
        dir = Files.createTempDirectory("strata-race");
        mount = LiveMount.create(dir.resolve("volume"));
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(FuseMount.isMounted(mount.dir.resolve("mnt"))).isFalse();
        }
        TempDirs.delete(dir);
    }

    @Test
    void pagesJustWritten_readBackWritten_whileOtherHandlesOpenAndRead() throws Exception {
        Path file = mount.volume().resolve("busy");
        byte[] name = Libc.bytes(file);
        int fd = c.open(name, Libc.O_CREAT | Libc.O_TRUNC | Libc.O_RDWR, 0644);
        assertThat(fd).as("open: " + Errno.name(Libc.errno())).isGreaterThanOrEqualTo(0);
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        long rounds = 0;
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int k = 0; k < READERS; k++) {
                readers.add(pool.submit(() -> {
                    byte[] buf = new byte[FILE_LENGTH];
                    while (writing.get()) {
                        int rfd = c.open(name, Libc.O_RDONLY, 0);
                        if (rfd < 0) {
                            throw new AssertionError("reader open: " + Errno.name(Libc.errno()));
                        }
                        try {
                            // Whatever the file holds at the moment: only the writer checks bytes.
                            if (c.pread(rfd, buf, buf.length, 0) < 0) {
                                throw new AssertionError("reader pread: " + Errno.name(Libc.errno()));
                            }
                        } finally {
                            c.close(rfd);
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            java.util.Random random = new java.util.Random(42);
            while (System.nanoTime() < end) {
                rounds++;
                oneRound(fd, name, rounds, random);
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            c.close(fd);
        }
        System.out.println("read after write: " + rounds + " rounds, readers opened and read the file "
                + reads.get() + " times");
        assertThat(reads.get()).isPositive();
    }

    /**
     * Truncates the file short and back (a hole where data was), writes whole pages of this round's
     * bytes into the hole and past the end, and reads them back.
     */
    private void oneRound(int fd, byte[] name, long round, java.util.Random random) {
        int shortLength = PAGE * random.nextInt(64);
        check(c.ftruncate(fd, shortLength) == 0, "ftruncate to " + shortLength);
        check(c.ftruncate(fd, FILE_LENGTH / 2) == 0, "ftruncate to " + FILE_LENGTH / 2);
        int at = shortLength + PAGE * random.nextInt(64);
        int n = PAGE * (16 + random.nextInt(48));
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (1 + (round + i / PAGE) % 255);
        }
        check(c.pwrite(fd, data, n, at) == n, "pwrite " + n + " at " + at);
        byte[] got = new byte[n];
        check(c.pread(fd, got, n, at) == n, "pread " + n + " at " + at);
        for (int page = 0; page < n; page += PAGE) {
            if (!java.util.Arrays.equals(got, page, page + PAGE, data, page, page + PAGE)) {
                throw new AssertionError("round " + round + ": the page at " + (at + page) + " just written"
                        + " (pwrite " + n + " at " + at + " after ftruncate to " + shortLength + ") read back "
                        + describe(got, page) + "; the volume itself answers " + describe(direct(name, at + page), 0));
            }
        }
    }

    /** The page at {@code offset} as the volume answers it, past the kernel's page cache. */
    private byte[] direct(byte[] name, long offset) {
        int dfd = c.open(name, Libc.O_RDONLY | O_DIRECT, 0);
        check(dfd >= 0, "open with O_DIRECT");
        try {
            byte[] page = new byte[PAGE];
            check(c.pread(dfd, page, PAGE, offset) == PAGE, "pread with O_DIRECT at " + offset);
            return page;
        } finally {
            c.close(dfd);
        }
    }

    private static String describe(byte[] b, int from) {
        int zeros = 0;
        for (int i = from; i < from + PAGE; i++) {
            zeros += b[i] == 0 ? 1 : 0;
        }
        return zeros == PAGE ? "all zeros" : "bytes starting " + b[from] + ", " + b[from + 1] + " (" + zeros + " zeros)";
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " failed: " + Errno.name(Libc.errno()));
        }
    }
}
