package dev.strata.fstests;

import dev.strata.volume.fault.CrashPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mounted live volume killed at named moments of its work (a test hook halts the mount process
 * there, as kill -9 would: {@link CrashPoints}) and right after an fsync returned (a real SIGKILL from
 * here). After each: {@code check --read-data} of the repository as the crash left it, a remount
 * (recovery runs as the volume opens), every acknowledged byte where it was, the write-temp, fsync,
 * rename pattern giving the old file or the new one, every version in {@code versions/} readable, and
 * after a clean unmount {@code check --read-data} again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashIT {
    private Path dir;
    private LiveMount mount;
    private final Ledger ledger = new Ledger();
    private final Random random = new Random(42);

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("strata-crash");
        // Checkpoints every two seconds, so that one is under way while the workload runs.
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--checkpoint-every", "2"));
        Path vol = mount.volume();
        // What the crash must not touch: a log, a document saved by rename, a large file, all durable.
        byte[] log = bytes(200);
        ledger.wrote(vol.resolve("log"), log);
        Io.writeDurably(vol.resolve("log"), log);
        ledger.acked(vol.resolve("log"));
        saveByRename(vol, "doc", bytes(50_000));
        byte[] big = bytes(3 << 20);
        ledger.wrote(vol.resolve("big"), big);
        Io.writeDurably(vol.resolve("big"), big);
        ledger.acked(vol.resolve("big"));
        mount.unmount();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CrashPoints.WRITE + "#2", CrashPoints.FSYNC, CrashPoints.SEAL_STORED,
            CrashPoints.SEAL_RECORDED + "#2", CrashPoints.FLUSH_STORED, CrashPoints.FLUSH_DONE,
            CrashPoints.CHECKPOINT_TREES})
    void aKillAtANamedPoint_losesNothingAcknowledged(String point) throws Exception {
        mount.mount(Map.of("STRATA_CRASH_AT", point));
        try {
            workload(mount.volume());
            // Still running: the point comes at the unmount's flush or checkpoint.
            MountProcess.run("fusermount", "-u", mount.process().mountpoint.toString());
        } catch (IOException expected) {
            System.out.println(point + ": the workload stopped at " + expected.getMessage());
        }
        assertThat(mount.process().awaitExit(60_000)).as("the mount process ended").isTrue();
        assertThat(mount.log()).as("the mount log").contains("crash point " + point.replaceAll("#.*", ""));
        assertThat(mount.process().process.exitValue()).isEqualTo(CrashPoints.EXIT);
        mount.process().clearDeadMount();
        afterTheCrash();
    }

    @Test
    void aKillRightAfterAnFsyncReturned_keepsWhatItAcknowledged() throws Exception {
        mount.mount(Map.of());
        Path vol = mount.volume();
        Path log = vol.resolve("log");
        int fd = Io.open(log, Libc.O_WRONLY | Libc.O_APPEND);
        byte[] record = bytes(3000);
        ledger.wrote(log, concat(ledger.last(log), record));
        Io.append(fd, record);
        Path fresh = vol.resolve("fresh");
        byte[] content = bytes(100_000);
        ledger.wrote(fresh, content);
        int f2 = Io.open(fresh, Libc.O_CREAT | Libc.O_WRONLY);
        Io.pwrite(f2, content, 0);
        Io.fsync(f2);
        Io.fsync(fd);
        mount.kill();
        ledger.acked(log);
        ledger.acked(fresh);
        afterTheCrash();
    }

    /**
     * The writes a crash interrupts: an append acknowledged by fsync then one that is not, a document
     * saved by write-temp, fsync, rename, fsyncdir, a patch of the large file fsynced and closed, the
     * log closed (a version sealed), a pause for the flush, then small files written durably until the
     * mount dies or a few seconds passed.
     */
    private void workload(Path vol) throws Exception {
        Path log = vol.resolve("log");
        int fd = Io.open(log, Libc.O_WRONLY | Libc.O_APPEND);
        byte[] r1 = bytes(1000);
        ledger.wrote(log, concat(ledger.last(log), r1));
        Io.append(fd, r1);
        Io.fsync(fd);
        ledger.acked(log);
        byte[] r2 = bytes(1000);
        ledger.wrote(log, concat(ledger.last(log), r2));
        Io.append(fd, r2);
        saveByRename(vol, "doc", bytes(60_000));
        Path big = vol.resolve("big");
        int b = Io.open(big, Libc.O_RDWR);
        byte[] patch = bytes(10_000);
        byte[] patched = ledger.last(big);
        System.arraycopy(patch, 0, patched, 1 << 20, patch.length);
        ledger.wrote(big, patched);
        Io.pwrite(b, patch, 1 << 20);
        Io.fsync(b);
        ledger.acked(big);
        Io.close(b);
        byte[] r3 = bytes(1000);
        ledger.wrote(log, concat(ledger.last(log), r3));
        Io.append(fd, r3);
        Io.close(fd);
        Thread.sleep(3000);
        for (int i = 0; i < 20; i++) {
            Path small = vol.resolve("small-" + i);
            byte[] content = bytes(100 + i * 1000);
            ledger.wrote(small, content);
            Io.writeDurably(small, content);
            ledger.acked(small);
            Thread.sleep(150);
        }
    }

    /** Saves {@code name} the way editors do: a temporary file written and fsynced, renamed over, the folder fsynced. */
    private void saveByRename(Path vol, String name, byte[] content) throws IOException {
        Path tmp = vol.resolve(name + ".tmp");
        Io.writeDurably(tmp, content);
        ledger.wrote(vol.resolve(name), content);
        Io.rename(tmp, vol.resolve(name));
        Io.fsyncDir(vol);
        ledger.acked(vol.resolve(name));
    }

    /** What must hold after any crash; leaves the volume unmounted. */
    private void afterTheCrash() throws Exception {
        Strata.Result asLeft = mount.strata.run("check", "--read-data");
        assertThat(asLeft.code()).as("check --read-data of the repository as the crash left it:\n" + asLeft.out() + asLeft.err())
                .isZero();
        mount.mount(Map.of());
        assertThat(ledger.problems()).as("acknowledged data after the remount; mount log:\n" + mount.log()).isEmpty();
        VersionsCheck.readsBack(mount.versions(), 2);
        mount.unmount();
        assertThat(mount.process().process.exitValue()).as("clean unmount:\n" + mount.log()).isZero();
        Strata.Result after = mount.strata.run("check", "--read-data");
        assertThat(after.code()).as("check --read-data after the remount:\n" + after.out() + after.err()).isZero();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
