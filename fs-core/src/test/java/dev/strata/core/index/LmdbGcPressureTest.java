package dev.strata.core.index;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory handed to LMDB stays alive for the whole call (docs/architecture.md, native boundaries).
 * lmdbjava 0.9.1 let jnr-ffi's cleaner free a key while {@code mdb_put} read it: under a small heap
 * and frequent collections the JVM died with SIGSEGV in {@code mdb_node_search}. The stress runs in
 * its own JVM, so a crash fails this test instead of ending the test run.
 */
class LmdbGcPressureTest {
    @TempDir
    Path dir;

    /**
     * Up to a million entries, or a minute of work on a loaded machine; lmdbjava 0.9.1 crashed in each
     * of three runs of this within 30 seconds.
     */
    @Test
    @Timeout(300)
    void aMillionPutsAndGets_withForcedCollections_neitherCrashNorReadBackWrong() throws Exception {
        int threads = 4;
        int perThread = 250_000;
        int seconds = 60;
        List<String> lines;
        int exit;
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx24m", "-XX:+UseSerialGC"), LmdbGcStressMain.class, dir,
                dir.resolve("env").toString(), Integer.toString(threads), Integer.toString(perThread),
                Integer.toString(seconds))) {
            exit = child.waitFor(Duration.ofSeconds(240));
            lines = child.allLines(Duration.ofSeconds(10));
            assertEquals(0, exit, "stress JVM exited " + exit + " (134 is a JVM crash); stdout " + lines
                    + "; crash reports " + crashReports() + "; stderr: " + child.stderr());
        }
        assertEquals(1, lines.size(), "one result line: " + lines);
        assertTrue(lines.get(0).startsWith("OK "), lines.get(0));
        long entries = Long.parseLong(lines.get(0).substring(3));
        assertTrue(entries >= 50_000, "enough entries to mean something: " + entries);
        assertTrue(crashReports().isEmpty());
    }

    private List<Path> crashReports() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
        }
    }
}
