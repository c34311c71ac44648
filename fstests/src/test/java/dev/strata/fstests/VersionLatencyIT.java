package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures how soon a closed file's new version shows in {@code versions/volume-NAME/} through the
 * mount: files written and closed one after another, their version folders polled until the version
 * is listed. Every version must appear within a second; the test prints what it measured.
 */
// It measures latency: it runs after the other tests, alone, so that they do not load the machine meanwhile.
@Tag("latency")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VersionLatencyIT {
    private static final int SAVES = 20;

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
    void aClosedFilesVersion_isListedInVersionsWithinASecond() throws Exception {
        dir = Files.createTempDirectory("strata-latency");
        mount = LiveMount.create(dir.resolve("volume"));
        Path docs = Files.createDirectories(mount.volume().resolve("docs"));
        Random random = new Random(5);
        List<Long> firstVersions = new ArrayList<>();
        List<Long> laterVersions = new ArrayList<>();
        for (int i = 0; i < SAVES; i++) {
            Path file = docs.resolve("report-" + i + ".txt");
            firstVersions.add(saveAndWait(file, 1, random));
            laterVersions.add(saveAndWait(file, 2, random));
        }
        report("a new file's first version", firstVersions);
        report("a changed file's next version", laterVersions);
        assertThat(Collections.max(firstVersions)).as("slowest first version, ns").isLessThan(1_000_000_000L);
        assertThat(Collections.max(laterVersions)).as("slowest next version, ns").isLessThan(1_000_000_000L);
    }

    /** Writes and closes {@code file}, then polls its versions folder until it lists {@code expected}; the nanoseconds from the close. */
    private long saveAndWait(Path file, int expected, Random random) throws Exception {
        byte[] content = new byte[4096 + random.nextInt(200_000)];
        random.nextBytes(content);
        Files.write(file, content);
        long closed = System.nanoTime();
        Path versions = mount.versions().resolve("docs").resolve(file.getFileName().toString());
        while (count(versions) < expected) {
            if (System.nanoTime() - closed > 10_000_000_000L) {
                throw new AssertionError("no version " + expected + " of " + file + " after 10 s; mount log:\n" + mount.log());
            }
            Thread.sleep(2);
        }
        return System.nanoTime() - closed;
    }

    private static int count(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return (int) s.count();
        } catch (NoSuchFileException notYet) {
            return 0;
        }
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("versions/ latency, %s: median %.1f ms, max %.1f ms over %d saves%n", what,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
}
