package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions of a file held open for writing, through a real mount (the interval set to 2 s): an fsync
 * once the interval passed makes one while the file stays open, a stream of fsyncs within the
 * interval makes no more, and the close makes one as usual.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenFileVersionsIT {
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
    void aFileHeldOpenForWriting_getsAVersionAtAnFsyncOncePerInterval_andOneAtClose() throws Exception {
        dir = Files.createTempDirectory("strata-syncversion");
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--sync-version-every", "2"));
        Path file = mount.volume().resolve("app.db");
        Path versions = mount.versions().resolve("app.db");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, 0, "first state;");
            ch.force(true);
            assertThat(list(versions)).as("open for writing only just now").isEmpty();
            Thread.sleep(2_200);
            write(ch, 12, "second state;");
            ch.force(false);
            List<Path> held = list(versions);
            assertThat(held).as("a version at the fsync, the file still open").hasSize(1);
            assertThat(Files.readString(held.get(0))).isEqualTo("first state;second state;");
            // A database fsyncing all the time: no second version within the interval.
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - start < 1_000_000_000L) {
                write(ch, 25 + n % 10, "x");
                ch.force(false);
                n++;
            }
            assertThat(list(versions)).as(n + " fsyncs within a second").hasSize(1);
            write(ch, 0, "FIRST");
        }
        // The kernel tells the mount of the close (release) after close(2) returned.
        List<Path> after = list(versions);
        for (long t0 = System.nanoTime(); after.size() < 2 && System.nanoTime() - t0 < 10_000_000_000L; after = list(versions)) {
            Thread.sleep(20);
        }
        assertThat(after).as("and one at close").hasSize(2);
        assertThat(Files.readString(after.get(1))).startsWith("FIRST state;second state;x");
        assertThat(Files.readString(file)).isEqualTo(Files.readString(after.get(1)));
    }

    @Test
    void aKillAfterAnFsyncsVersion_andMoreFsyncedWrites_losesNothing() throws Exception {
        dir = Files.createTempDirectory("strata-syncversion-kill");
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--sync-version-every", "2"));
        Path file = mount.volume().resolve("app.db");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            write(ch, 0, "first;");
            Thread.sleep(2_200);
            write(ch, 6, "second;");
            ch.force(false);
            assertThat(list(mount.versions().resolve("app.db"))).as("the fsync's version").hasSize(1);
            // Written on after that version, into new staging, and acknowledged by an fsync.
            write(ch, 0, "FIRST;");
            write(ch, 13, "third;");
            ch.force(false);
            mount.kill();
        } finally {
            try {
                ch.close();
            } catch (IOException deadMount) {
                // The mount process is gone: the descriptor answers ENOTCONN.
            }
        }
        mount.process().clearDeadMount();
        mount.mount(Map.of());
        assertThat(Files.readString(mount.volume().resolve("app.db"))).isEqualTo("FIRST;second;third;");
        List<Path> versions = list(mount.versions().resolve("app.db"));
        assertThat(versions).as("the fsync's version, and the fsynced rest sealed at recovery").hasSize(2);
        assertThat(Files.readString(versions.get(0))).isEqualTo("first;second;");
        assertThat(Files.readString(versions.get(1))).isEqualTo("FIRST;second;third;");
        mount.unmount();
        mount.strata.run("check", "--read-data").ok();
    }

    private static void write(FileChannel ch, long at, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (NoSuchFileException none) {
            return List.of();
        }
    }
}
