package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command, {@code strata demo}, run as a person runs it (a child JVM, a fresh
 * repository): it backs up, changes, backs up, mounts the history and saves a file twice in a live
 * volume, and both versions show. Run twice, as people do: the second run reuses the repository and
 * the volume.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void theDemo_backsUp_mountsTheHistory_andShowsTheVolumesVersions() throws Exception {
        Strata strata = new Strata(dir);
        Path base = dir.resolve("demo");
        try {
            for (int run = 1; run <= 2; run++) {
                Path log = dir.resolve("demo-" + run + ".log");
                try (StrataProcess demo = StrataProcess.start(strata, log, "demo", "--dir", base.toString())) {
                    int code = demo.waitFor(Duration.ofMinutes(2));
                    String out = demo.output();
                    assertThat(code).as("run %d of the demo:%n%s", run, out).isZero();
                    assertThat(out).contains("$ strata backup", "$ strata mount --daemon", "notes.txt",
                            "versions/volume-demo/plan.txt", "first plan");
                    assertThat(out).doesNotContain("no versions of plan.txt yet", "Exception");
                    if (run == 1) {
                        assertThat(out).contains("$ strata volume create demo");
                    } else {
                        assertThat(out).doesNotContain("$ strata volume create");
                    }
                }
                assertThat(FuseMount.isMounted(base.resolve("mnt"))).as("the demo unmounts what it mounted").isFalse();
            }
        } finally {
            MountProcess.run("fusermount", "-u", "-z", base.resolve("mnt").toString());
        }
    }
}
