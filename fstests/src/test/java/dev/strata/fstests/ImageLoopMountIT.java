package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ext4 image saved with `strata image create`, then loop-mounted read-only straight out of the
 * Strata mount (`images/<name>/<time>/disk.img`): the filesystem inside shows exactly the files
 * it was made from.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImageLoopMountIT {
    private Path dir;
    private MountProcess mount;
    private Path loopMount;

    @AfterEach
    void cleanUp() throws Exception {
        if (loopMount != null) {
            MountProcess.run("umount", loopMount.toString());
            if (dev.strata.fuse.FuseMount.isMounted(loopMount)) {
                MountProcess.run("umount", "-l", loopMount.toString());
            }
        }
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void anExt4ImageLoopMountsWithItsOriginalFiles() throws Exception {
        dir = Files.createTempDirectory("strata-image-loop-it");
        Path files = dir.resolve("files");
        Files.createDirectories(files.resolve("sub"));
        Random random = new Random(5);
        byte[] big = new byte[3 << 20];
        random.nextBytes(big);
        Files.write(files.resolve("big.bin"), big);
        Files.writeString(files.resolve("sub/note.txt"), "inside the image\n".repeat(100));
        Path image = dir.resolve("fs.img");
        Assumptions.assumeTrue(run("mke2fs", "-q", "-F", "-t", "ext4", "-d", files.toString(),
                image.toString(), "32M") == 0, "mke2fs (e2fsprogs) is needed");

        Strata strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("image", "create", image.toString(), "--name", "disk", "--quiet").ok();
        mount = MountProcess.start(strata, dir.resolve("mnt"));
        Path diskImg;
        try (Stream<Path> times = Files.list(mount.mountpoint.resolve("images/disk"))) {
            diskImg = times.findFirst().orElseThrow().resolve("disk.img");
        }
        assertThat(TreeCompare.sha256(diskImg)).isEqualTo(TreeCompare.sha256(image));

        loopMount = Files.createDirectories(dir.resolve("loop"));
        int loop = run("mount", "-o", "loop,ro", diskImg.toString(), loopMount.toString());
        Assumptions.assumeTrue(loop == 0, "loop devices and ext4 are available to this machine");
        assertThat(hashes(loopMount)).isEqualTo(hashes(files));
    }

    /** Relative path → sha256 of every regular file (lost+found aside). */
    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith("lost+found")) {
                    out.put(rel, TreeCompare.sha256(p));
                }
            }
        }
        return out;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
