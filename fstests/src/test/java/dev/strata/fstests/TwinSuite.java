package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the POSIX conformance suites: one live volume mounted for the class, one folder of
 * the local disk beside it, and every case run on both ({@link Twin}). The tests run as root; cases
 * about permissions act as another user through the thread's filesystem identity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class TwinSuite {
    /** A name one byte longer than a name may be. */
    static final String NAME_256 = "n".repeat(256);
    static final String NAME_255 = "n".repeat(255);

    Path dir;
    LiveMount mount;
    Twin twin;

    @BeforeAll
    void mountAVolume() throws Exception {
        assertThat(Libc.c().setfsuid(-1)).as("these tests run as root").isZero();
        dir = Files.createTempDirectory("strata-posix");
        // Cases acting as another user must reach their folders.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        mount = LiveMount.create(dir.resolve("volume"));
        Path local = Files.createDirectories(dir.resolve("local"));
        twin = new Twin(local, mount.volume());
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(FuseMount.isMounted(mount.dir.resolve("mnt"))).isFalse();
        }
        TempDirs.delete(dir);
    }

    /** Runs {@code c} on the local disk and on the volume, in a folder named after the test. */
    List<String> twin(TestInfo test, Twin.Case c) throws Exception {
        return twin.run(test.getTestMethod().orElseThrow().getName(), c);
    }
}
