package dev.strata.snapshot.restore;

import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder of 100,000 entries is backed up and restored in a JVM with a 64 MiB heap (it took about
 * 200 MiB more when a folder's entries were held as nodes): its tree is
 * written while its entries are saved and read while they are restored, never held as a node per entry.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class WideFolderSmallHeapTest {
    static final int ENTRIES = 100_000;

    @TempDir
    Path dir;

    @Test
    void aFolderOf100000Entries_isBackedUpAndRestored_withA64MiBHeap() throws Exception {
        Path wide = Files.createDirectories(dir.resolve("src/wide"));
        for (int i = 0; i < ENTRIES; i++) {
            Files.createFile(wide.resolve(String.format("entry-with-a-name-of-some-length-%07d", i)));
        }
        Path target = dir.resolve("target");
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m", "-XX:+UseSerialGC"), Main.class, dir,
                dir.resolve("repo").toString(), wide.toString(), target.toString())) {
            int exit = child.waitFor(Duration.ofSeconds(580));
            assertThat(exit).as("child: %s", child.stderr()).isZero();
        }
        try (Stream<Path> restored = Files.list(target.resolve(wide.toString().substring(1)))) {
            assertThat(restored.count()).isEqualTo(ENTRIES);
        }
    }

    /** Backs up the folder into a new repository and restores it, in the child JVM. */
    public static final class Main {
        public static void main(String[] args) throws IOException {
            Path repoDir = Path.of(args[0]);
            Path src = Path.of(args[1]);
            TestRepositories.Fixture fixture = TestRepositories.local(repoDir).init();
            try (Repository repo = fixture.open(LockMode.WRITE)) {
                new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
                ChunkId tree = new Snapshots(repo).list().get(0).tree();
                RestoreResult r = new Restorer(new TreeStore(repo.store()))
                        .run(RestoreRequest.of(tree, Path.of(args[2])), Restorer.Progress.NONE);
                if (!r.clean() || r.filesRestored() != ENTRIES) {
                    System.err.println("restore not clean: " + r.filesRestored() + " files, " + r.problems() + r.damaged());
                    System.exit(2);
                }
            }
        }
    }
}
