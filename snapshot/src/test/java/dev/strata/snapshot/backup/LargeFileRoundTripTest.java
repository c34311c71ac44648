package dev.strata.snapshot.backup;

import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.restore.RestoreRequest;
import dev.strata.snapshot.restore.RestoreResult;
import dev.strata.snapshot.restore.Restorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large files with the default chunk sizes back up and restore bit for bit: files read through the
 * reading window of a few average chunks, whose chunks cross the window's edges, and a run with no cut
 * point, which makes maximum chunks and grows the window to one maximum chunk.
 */
@Timeout(120)
class LargeFileRoundTripTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void largeFiles_withTheDefaultChunkSizes_restoreBitIdentical() throws IOException {
        assertThat(TestRepositories.options().chunker()).isEqualTo(ChunkerParams.DEFAULT);
        int max = ChunkerParams.DEFAULT.maxSize();
        Path src = Files.createDirectories(dir.resolve("src"));
        SplittableRandom random = new SplittableRandom(20261208);
        write(src.resolve("random"), randomBytes(random, 29 * MIB + 12_345));
        write(src.resolve("just-past-the-window"), randomBytes(random, 4 * ChunkerParams.DEFAULT.avgSize() + 1));
        write(src.resolve("one-maximum-chunk"), randomBytes(random, max));
        // A constant run has no cut point: maximum chunks, read through a window grown to one of them.
        byte[] runs = randomBytes(random, 3 * MIB + 2 * max + 777_777);
        Arrays.fill(runs, 3 * MIB, 3 * MIB + 2 * max + 100_000, (byte) 0x5A);
        write(src.resolve("constant-run"), runs);

        Path target = dir.resolve("target");
        try (Repository repo = TestRepositories.local(dir.resolve("r")).init().open(LockMode.WRITE)) {
            Snapshot s = new Backup(repo, new LocalSourceFs())
                    .run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE).snapshot();
            RestoreResult r = new Restorer(new TreeStore(repo.store()))
                    .run(RestoreRequest.of(s.tree(), target), Restorer.Progress.NONE);
            assertThat(r.problems()).isEmpty();
        }

        Path restored = target.resolve(src.toString().substring(1));
        for (String name : List.of("random", "just-past-the-window", "one-maximum-chunk", "constant-run")) {
            assertThat(Files.mismatch(src.resolve(name), restored.resolve(name))).as(name).isEqualTo(-1L);
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
    }
}
