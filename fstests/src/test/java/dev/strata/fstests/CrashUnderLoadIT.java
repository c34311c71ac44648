package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mounted live volume under load — appends fsynced now and then, documents saved by write-temp,
 * fsync, rename, fsyncdir, patches of a file fsynced and closed, small files written durably — killed
 * with SIGKILL at 10 seeded random moments, one after another on the same repository. After each
 * kill: {@code check --read-data} of the repository as the kill left it; a remount; every file of
 * every round so far holding one of its contents from the acknowledged one on; every version in
 * {@code versions/} readable. At the end a clean unmount and a last {@code check --read-data}.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashUnderLoadIT {
    private static final int ROUNDS = Integer.getInteger("crash.rounds", 10);

    private Path dir;
    private LiveMount mount;

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void killsAtRandomMomentsUnderLoad_loseNothingAcknowledged() throws Exception {
        dir = Files.createTempDirectory("strata-crash-load");
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--checkpoint-every", "3"));
        Ledger ledger = new Ledger();
        for (int round = 1; round <= ROUNDS; round++) {
            long seed = round;
            Path folder = Files.createDirectories(mount.volume().resolve("round-" + round));
            ExecutorService load = Executors.newFixedThreadPool(4);
            List<Future<Integer>> workers = new ArrayList<>();
            workers.add(load.submit(() -> appender(folder.resolve("log"), new Random(seed * 10 + 1), ledger)));
            workers.add(load.submit(() -> saver(folder, "doc", new Random(seed * 10 + 2), ledger)));
            workers.add(load.submit(() -> patcher(folder.resolve("data"), new Random(seed * 10 + 3), ledger)));
            workers.add(load.submit(() -> creator(Files.createDirectories(folder.resolve("small")), new Random(seed * 10 + 4), ledger)));
            long delay = 300 + new java.util.SplittableRandom(seed).nextInt(2700);
            Thread.sleep(delay);
            mount.kill();
            int steps = 0;
            for (Future<Integer> w : workers) {
                steps += w.get(60, TimeUnit.SECONDS);
            }
            load.shutdown();
            System.out.printf("round %d (seed %d): killed after %d ms, %d acknowledged steps%n", round, seed, delay, steps);
            Strata.Result asLeft = mount.strata.run("check", "--read-data");
            assertThat(asLeft.code()).as("seed " + seed + ": check --read-data as the kill left it:\n" + asLeft.out() + asLeft.err())
                    .isZero();
            mount.mount(Map.of());
            assertThat(ledger.problems()).as("seed " + seed + ": acknowledged data after the remount; mount log:\n" + mount.log())
                    .isEmpty();
            VersionsCheck.readsBack(mount.versions(), 1);
        }
        mount.unmount();
        assertThat(mount.process().process.exitValue()).as("clean unmount:\n" + mount.log()).isZero();
        Strata.Result last = mount.strata.run("check", "--read-data");
        assertThat(last.code()).as("check --read-data at the end:\n" + last.out() + last.err()).isZero();
    }

    /** Appends records, fsyncing after some, closing and reopening now and then (a version each). */
    private static int appender(Path log, Random r, Ledger ledger) {
        int acked = 0;
        try {
            ledger.wrote(log, new byte[0]);
            int fd = Io.open(log, Libc.O_CREAT | Libc.O_WRONLY | Libc.O_APPEND);
            while (true) {
                byte[] record = bytes(r, 100 + r.nextInt(5000));
                ledger.wrote(log, concat(ledger.last(log), record));
                Io.append(fd, record);
                if (r.nextInt(3) == 0) {
                    Io.fsync(fd);
                    ledger.acked(log);
                    acked++;
                }
                if (r.nextInt(10) == 0) {
                    Io.close(fd);
                    fd = Io.open(log, Libc.O_WRONLY | Libc.O_APPEND);
                }
            }
        } catch (IOException mountGone) {
            return acked;
        }
    }

    /** Saves a document again and again by write-temp, fsync, rename, fsyncdir. */
    private static int saver(Path folder, String name, Random r, Ledger ledger) {
        int acked = 0;
        Path doc = folder.resolve(name);
        try {
            while (true) {
                byte[] content = bytes(r, 1 + r.nextInt(200_000));
                Path tmp = folder.resolve(name + ".tmp");
                Io.writeDurably(tmp, content);
                ledger.wrote(doc, content);
                Io.rename(tmp, doc);
                Io.fsyncDir(folder);
                ledger.acked(doc);
                acked++;
            }
        } catch (IOException mountGone) {
            return acked;
        }
    }

    /** Patches a 2 MiB file in place: a few writes, fsync, close; sometimes a truncate first. */
    private static int patcher(Path file, Random r, Ledger ledger) {
        int acked = 0;
        try {
            byte[] content = bytes(r, 2 << 20);
            ledger.wrote(file, new byte[0]); // created, not yet written
            ledger.wrote(file, content);
            Io.writeDurably(file, content);
            ledger.acked(file);
            while (true) {
                int fd = Io.open(file, Libc.O_RDWR);
                byte[] now = ledger.last(file);
                if (r.nextInt(5) == 0) {
                    int to = r.nextInt(3 << 20);
                    now = Arrays.copyOf(now, to);
                    ledger.wrote(file, now);
                    if (Libc.c().ftruncate(fd, to) != 0) {
                        throw new IOException("ftruncate: " + Errno.name(Libc.errno()));
                    }
                }
                int patches = 1 + r.nextInt(3);
                for (int i = 0; i < patches; i++) {
                    int at = r.nextInt(Math.max(1, now.length + 1000));
                    byte[] patch = bytes(r, 1 + r.nextInt(20_000));
                    byte[] next = Arrays.copyOf(now, Math.max(now.length, at + patch.length));
                    System.arraycopy(patch, 0, next, at, patch.length);
                    ledger.wrote(file, next);
                    Io.pwrite(fd, patch, at);
                    now = next;
                }
                Io.fsync(fd);
                ledger.acked(file);
                acked++;
                Io.close(fd);
            }
        } catch (IOException mountGone) {
            return acked;
        }
    }

    /** Writes small files durably, one after another. */
    private static int creator(Path folder, Random r, Ledger ledger) {
        int acked = 0;
        try {
            for (int i = 0; ; i++) {
                Path f = folder.resolve("f" + i);
                byte[] content = bytes(r, r.nextInt(10_000));
                ledger.wrote(f, new byte[0]); // created, not yet written
                ledger.wrote(f, content);
                Io.writeDurably(f, content);
                ledger.acked(f);
                acked++;
            }
        } catch (IOException mountGone) {
            return acked;
        }
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
