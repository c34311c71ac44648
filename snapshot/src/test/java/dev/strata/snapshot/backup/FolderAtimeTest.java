package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder's saved atime is the one it had before the backup, although the backup's progress
 * scanner lists it first (and a listing moves the atime under relatime). The source here moves the
 * atime on every listing, and the walker waits until the scanner has listed everything, so the
 * order that used to save the backup's own time always happens.
 */
@Timeout(60)
class FolderAtimeTest {
    private static final Timespec OLD = new Timespec(1_000_000_000L, 123_456_789);
    private static final Timespec MTIME = new Timespec(1_000_000_500L, 5);

    @TempDir
    Path dir;

    @Test
    void foldersKeepTheAtimeTheyHadBeforeTheScannerListedThem() throws Exception {
        Posix posix = Posix.get();
        Path source = Files.createDirectories(dir.resolve("src"));
        Path a = Files.createDirectories(source.resolve("a"));
        Path b = Files.createDirectories(a.resolve("b"));
        Files.writeString(b.resolve("f.txt"), "x");
        for (Path p : List.of(b, a)) {
            posix.setTimes(p, OLD, MTIME, false);
        }
        CountDownLatch scanned = new CountDownLatch(1);
        AtomicInteger mainStats = new AtomicInteger();
        SourceFs relatime = new ForwardingSourceFs() {
            @Override
            public List<String> list(Path d) throws IOException {
                List<String> names = super.list(d);
                posix.setTimes(d, new Timespec(2_000_000_000L, 0), null, false); // as reading it would
                return names;
            }

            @Override
            public FileStatus lstat(Path path) throws IOException {
                // The first call (Backup.run's look at its source) comes before the scanner starts.
                if (!Thread.currentThread().getName().equals("strata-scan") && mainStats.incrementAndGet() > 1) {
                    try {
                        assertThat(scanned.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.lstat(path);
            }
        };
        BackupProgress progress = new BackupProgress() {
            @Override
            public void totals(long files, long bytes) {
                scanned.countDown();
            }
        };
        try (Repository r = TestRepositories.local(dir.resolve("r")).init().open(LockMode.WRITE)) {
            new Backup(r, relatime).run(BackupRequest.of(List.of(source)), new BackupCounters(), progress);
            TreeStore trees = new TreeStore(r.store());
            var root = new Snapshots(r).list().get(0).tree();
            for (Path p : List.of(a, b)) {
                Node n = TreePaths.find(trees, root, p.toString()).orElseThrow();
                assertThat(n.atime().seconds()).as(p.toString()).isEqualTo(OLD.seconds());
                assertThat(n.atime().nanos()).as(p.toString()).isEqualTo(OLD.nanos());
            }
        }
    }
}
