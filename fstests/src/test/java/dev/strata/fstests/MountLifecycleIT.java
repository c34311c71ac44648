package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting and ending mounts as a person does: SIGTERM unmounts cleanly and releases the
 * repository, --daemon returns once mounted and `strata umount` ends it, and a bad mountpoint gets
 * a clear message instead of a mount.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MountLifecycleIT {
    private Path dir;
    private Strata strata;
    private final List<MountProcess> mounts = new ArrayList<>();

    @BeforeEach
    void repository() throws IOException {
        dir = Files.createTempDirectory("strata-lifecycle-it");
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "a");
        strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("backup", "--quiet", source.toString()).ok();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (MountProcess m : mounts) {
            m.close();
        }
        Path mnt = dir.resolve("mnt");
        if (FuseMount.isMounted(mnt)) {
            MountProcess.run("fusermount", "-u", "-z", mnt.toString());
        }
        TempDirs.delete(dir);
    }

    @Test
    void sigtermUnmountsCleanlyAndReleasesTheRepository() throws Exception {
        MountProcess m = MountProcess.start(strata, dir.resolve("mnt"));
        mounts.add(m);
        try (var top = Files.list(m.mountpoint)) {
            assertThat(top.map(p -> p.getFileName().toString()).toList())
                    .contains("snapshots", "versions", "hosts", "tags", "ids", "images");
        }
        assertThat(m.terminate()).isZero();
        assertThat(FuseMount.isMounted(m.mountpoint)).isFalse();
        assertThat(m.log()).contains("Unmounted");
        // Its read lock is gone: prune needs the repository to itself.
        strata.run("prune").ok();
    }

    /**
     * SIGTERM the moment the mount shows in the mount table: the handlers are in place before the mount
     * comes up (CI once saw exit 143, the JVM's default, from a SIGTERM that came right after it was up).
     */
    @Test
    void sigtermRightAsTheMountComesUp_unmountsCleanly() throws Exception {
        for (int round = 0; round < 3; round++) {
            MountProcess m = MountProcess.start(strata, dir.resolve("mnt"));
            mounts.add(m);
            assertThat(m.terminate()).as("round " + round + ":\n" + m.log()).isZero();
            assertThat(FuseMount.isMounted(m.mountpoint)).isFalse();
        }
    }

    @Test
    void sigtermEndsAMountThatIsStillInUse() throws Exception {
        MountProcess m = MountProcess.start(strata, dir.resolve("mnt"));
        mounts.add(m);
        try (var open = Files.newDirectoryStream(m.mountpoint.resolve("snapshots"))) {
            open.iterator().hasNext();
            assertThat(m.terminate()).isZero();
        }
        assertThat(m.log()).contains("still in use");
        assertThat(FuseMount.isMounted(m.mountpoint)).isFalse();
    }

    @Test
    void daemonReturnsOnceMountedAndUmountEndsIt() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        ProcessBuilder pb = new ProcessBuilder(Strata.javaCommand("mount", "--daemon", mnt.toString())).redirectErrorStream(true);
        pb.environment().putAll(strata.env());
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(FuseMount.isMounted(mnt)).isTrue();
        assertThat(Files.readString(latest(mnt).resolve("a.txt"))).isEqualTo("a");
        Strata.Result umount = strata.run("umount", mnt.toString());
        assertThat(umount.code()).as(umount.err()).isZero();
        assertThat(FuseMount.isMounted(mnt)).isFalse();
        assertThat(strata.run("umount", mnt.toString()).code()).isEqualTo(15);
    }

    @Test
    void badMountpointsGetAClearMessage() throws Exception {
        Strata.Result missing = strata.run("mount", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("something"), "x");
        Strata.Result notEmpty = strata.run("mount", full.toString());
        assertThat(notEmpty.code()).isEqualTo(2);
        assertThat(notEmpty.err()).contains("is not empty");

        MountProcess m = MountProcess.start(strata, dir.resolve("mnt"));
        mounts.add(m);
        Strata.Result twice = strata.run("mount", m.mountpoint.toString());
        assertThat(twice.code()).isEqualTo(16);
        assertThat(twice.err()).contains("already mounted");
    }

    private static Path latest(Path mnt) throws IOException {
        try (var sources = Files.list(mnt.resolve("snapshots"))) {
            Path link = sources.findFirst().orElseThrow().resolve("latest");
            return link.resolveSibling(Files.readSymbolicLink(link));
        }
    }
}
