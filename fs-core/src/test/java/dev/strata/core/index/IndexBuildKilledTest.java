package dev.strata.core.index;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed with SIGKILL while it builds an empty index in one go leaves, at the next open,
 * either the whole index or an empty one, never part of it; an empty one is built whole again.
 */
class IndexBuildKilledTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
    /** 20 files of 25 packs of 400 entries: 200,000 entries, a commit that takes a while. */
    private static final String[] SHAPE = {"20", "25", "400", "70000"};

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aBuildKilledAnywhere_leavesTheWholeIndexOrNone_andNoneIsBuiltWholeAgain() throws Exception {
        List<IndexBuildTest.File> files = IndexBuildTest.files(Integer.parseInt(SHAPE[0]), Integer.parseInt(SHAPE[1]),
                Integer.parseInt(SHAPE[2]), Integer.parseInt(SHAPE[3]));
        List<String> expected = IndexBuildTest.incremental(dir.resolve("incremental"), files);
        List<String> empty;
        try (LmdbIndex index = LmdbIndex.open(dir.resolve("empty"), IndexBuildTest.REPO)) {
            empty = IndexBuildTest.dump(index);
        }
        int killedBeforeCommit = 0;
        // Killed while it reads, sorts, or writes the transaction (the later delays after COMMITTING).
        long[][] kills = {{0, 0}, {0, 300}, {1, 0}, {1, 150}, {1, 600}, {1, 1200}, {1, 2500}};
        for (int k = 0; k < kills.length; k++) {
            Path folder = dir.resolve("built-" + k);
            boolean committed;
            try (ChildJvm child = ChildJvm.start(List.of("-Xmx384m", "-XX:+UseSerialGC"), IndexBuildKillMain.class, dir,
                    folder.toString(), SHAPE[0], SHAPE[1], SHAPE[2], SHAPE[3])) {
                assertThat(child.nextLine(CHILD_TIMEOUT)).as(child.stderr()).isEqualTo("READING");
                if (kills[k][0] == 1) {
                    assertThat(child.nextLine(CHILD_TIMEOUT)).as(child.stderr()).isEqualTo("COMMITTING");
                }
                Thread.sleep(kills[k][1]);
                child.kill(Duration.ofSeconds(30));
                committed = child.allLines(Duration.ofSeconds(30)).contains("COMMITTED");
            }
            IndexCache.Opened opened = IndexCache.open(folder, IndexBuildTest.REPO, Instant.EPOCH);
            try (LmdbIndex index = opened.index(); LmdbEnvironment lmdb = opened.lmdb()) {
                assertThat(opened.recovered()).as("kill " + k).isNull();
                List<String> found = IndexBuildTest.dump(index);
                if (committed) {
                    assertThat(found).as("kill " + k + ", after the commit").isEqualTo(expected);
                    continue;
                }
                assertThat(found).as("kill " + k + ": the whole index or none").isIn(empty, expected);
                if (found.equals(empty)) {
                    killedBeforeCommit++;
                    build(index, files);
                    assertThat(IndexBuildTest.dump(index)).as("kill " + k + ", built again").isEqualTo(expected);
                }
            }
        }
        assertThat(killedBeforeCommit).as("builds killed before their commit").isPositive();
    }

    private static void build(LmdbIndex index, List<IndexBuildTest.File> files) throws IOException {
        try (IndexBuild b = IndexBuildTest.started(index, files, 20_000)) {
            assertThat(b.commit()).isTrue();
        }
    }
}
