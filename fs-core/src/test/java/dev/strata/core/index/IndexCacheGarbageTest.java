package dev.strata.core.index;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage over pages of an index cache never takes the process down: LMDB asserts (and aborts) when a
 * branch page leads to a page of the wrong kind, which a CI run of the torture test met once in a
 * hundred-odd commands. Hundreds of garbled copies are opened in another JVM
 * ({@link IndexCacheGarbageMain}); each is either set aside and rebuilt or sound enough to use.
 */
class IndexCacheGarbageTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void garbledCaches_areSetAsideOrUsable_andNeverAbortTheProcess() throws Exception {
        int seeds = 400;
        try (ChildJvm child = ChildJvm.start(IndexCacheGarbageMain.class, dir, dir.toString(), "1", Integer.toString(seeds))) {
            int exit = child.waitFor(Duration.ofSeconds(240));
            List<String> lines = child.allLines(Duration.ofSeconds(10));
            String last = lines.isEmpty() ? "nothing" : lines.get(lines.size() - 1);
            String seed = lines.stream().filter(l -> l.startsWith("SEED ")).reduce((a, b) -> b).orElse("no seed");
            assertEquals(0, exit, "the JVM opening garbled caches exited " + exit + " (134: LMDB aborted it) at "
                    + seed + "; stderr: " + child.stderr());
            assertTrue(last.startsWith("OK " + seeds + " "), last);
            int setAside = Integer.parseInt(last.split(" ")[2]);
            // Eight half pages of garbage nearly always land on pages in use: most copies must be caught.
            assertTrue(setAside > seeds / 2, "only " + setAside + " of " + seeds + " garbled caches were set aside");
        }
    }
}
