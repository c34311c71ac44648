package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A live volume whose repository and local state are on a small disk (a tmpfs the test mounts), and a
 * folder of an equally small local disk beside it: filling either gives ENOSPC, and after the big file
 * is removed the space is back, the mount still works, what was saved before is intact, after a
 * remount too, new versions are saved, and {@code check --read-data} is clean.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FullDiskIT {
    private Path dir;
    private Path small;
    private Path smallLocal;
    private LiveMount mount;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (mount != null) {
                mount.close();
                // Whatever failed, the mount's own account of it (both mounts, if it got that far).
                System.out.println("the mount logged:\n" + mount.log());
            }
        } finally {
            for (Path p : new Path[]{small, smallLocal}) {
                if (p != null) {
                    unmountTmpfs(p);
                }
            }
            TempDirs.delete(dir);
        }
    }

    /**
     * Unmounts a test tmpfs. Right after the mount process ends the kernel can still hold the disk busy
     * for a moment (CI saw {@code umount} refuse once), so it retries for a while and detaches lazily
     * as the last resort, saying who held it.
     */
    private static void unmountTmpfs(Path p) throws IOException, InterruptedException {
        for (int i = 0; i < 50 && dev.strata.fuse.FuseMount.isMounted(p); i++) {
            if (MountProcess.run("umount", p.toString()) != 0) {
                Thread.sleep(200);
            }
        }
        if (dev.strata.fuse.FuseMount.isMounted(p)) {
            System.out.println(p + " stayed busy for 10 s; detaching it lazily. Holders:\n" + holders(p));
            MountProcess.run("umount", "-l", p.toString());
        }
    }

    @Test
    void fillingTheDisk_givesEnospc_likeALocalDisk_andFreeingItRecovers() throws Exception {
        dir = Files.createTempDirectory("strata-full");
        small = Files.createDirectories(dir.resolve("small"));
        smallLocal = Files.createDirectories(dir.resolve("small-local"));
        assumeThat(MountProcess.run("mount", "-t", "tmpfs", "-o", "size=96m", "strata-test", small.toString()))
                .as("mount -t tmpfs (needs root)").isZero();
        assumeThat(MountProcess.run("mount", "-t", "tmpfs", "-o", "size=96m", "strata-test", smallLocal.toString()))
                .as("mount -t tmpfs (needs root)").isZero();
        mount = LiveMount.createLoggingTo(small.resolve("volume"), dir.resolve("mount.log"));
        Path vol = mount.volume();
        Random random = new Random(3);
        byte[] keep = new byte[100_000];
        random.nextBytes(keep);
        Io.writeDurably(vol.resolve("keep"), keep);

        String onDisk = fill(smallLocal.resolve("big"), random);
        String onVolume = fill(vol.resolve("big"), random);
        assertThat(onVolume).as("how filling the volume ends; the local disk: " + onDisk + "\nmount log:\n" + mount.log())
                .isEqualTo(onDisk).isEqualTo("ENOSPC");

        Io.unlink(vol.resolve("big"));
        byte[] after = new byte[1 << 20];
        random.nextBytes(after);
        try {
            Io.writeDurably(vol.resolve("after"), after);
        } catch (IOException e) {
            throw new AssertionError("after removing the big file: " + e.getMessage() + "; mount log:\n" + mount.log(), e);
        }
        assertThat(Files.readAllBytes(vol.resolve("after"))).isEqualTo(after);
        assertThat(Files.readAllBytes(vol.resolve("keep"))).isEqualTo(keep);
        mount.unmount();
        System.out.println("the mount that filled its disk logged:\n" + mount.log());
        mount.mount(java.util.Map.of());
        assertThat(readAfterRemount("keep")).as("keep after the remount; mount log:\n%s", mount.log()).isEqualTo(keep);
        assertThat(readAfterRemount("after")).as("after, after the remount; mount log:\n%s", mount.log()).isEqualTo(after);
        assertThat(Files.exists(mount.volume().resolve("big"))).isFalse();
        Files.writeString(mount.volume().resolve("later"), "saved as usual again");
        Path versions = mount.versions().resolve("later");
        for (int i = 0; i < 100 && !Files.isDirectory(versions); i++) {
            Thread.sleep(50);
        }
        assertThat(VersionsCheck.readsBack(mount.versions(), 3)).isPositive();
        mount.unmount();
        Strata.Result check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as("check --read-data:\n" + check.out() + check.err()).isZero();
    }

    /** The bytes of {@code name} on the remounted volume; a failure names the file and carries the mount's log. */
    private byte[] readAfterRemount(String name) {
        try {
            return Files.readAllBytes(mount.volume().resolve(name));
        } catch (IOException e) {
            throw new AssertionError("reading " + name + " after the remount: " + e.getMessage()
                    + "; the remount logged:\n" + mount.log(), e);
        }
    }

    private static String holders(Path p) {
        try {
            return new String(new ProcessBuilder("fuser", "-vm", p.toString()).redirectErrorStream(true)
                    .start().getInputStream().readAllBytes());
        } catch (IOException e) {
            return "(fuser: " + e.getMessage() + ")";
        }
    }

    /** Writes random MiBs to {@code file} until a call fails; the errno of the first failure (write, fsync or close). */
    private static String fill(Path file, Random random) throws IOException {
        int fd = Io.open(file, Libc.O_CREAT | Libc.O_WRONLY | Libc.O_TRUNC);
        byte[] mib = new byte[1 << 20];
        long at = 0;
        String failure = null;
        for (int i = 0; i < 400 && failure == null; i++) {
            random.nextBytes(mib);
            long n = Libc.c().pwrite(fd, mib, mib.length, at);
            if (n < 0) {
                failure = Errno.name(Libc.errno());
            } else {
                // A short write is how a full disk shows first; the next write says why.
                at += n;
            }
        }
        if (failure == null && Libc.c().fsync(fd) != 0) {
            failure = Errno.name(Libc.errno());
        }
        if (Libc.c().close(fd) != 0 && failure == null) {
            failure = Errno.name(Libc.errno());
        }
        System.out.println(file + ": " + at + " bytes written, then " + failure);
        return failure == null ? "no error" : failure;
    }
}
