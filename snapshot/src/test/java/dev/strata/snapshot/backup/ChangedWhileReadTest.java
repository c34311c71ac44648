package dev.strata.snapshot.backup;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.restore.RestoreRequest;
import dev.strata.snapshot.restore.Restorer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file that grows or shrinks while the backup reads it: the backup completes, reads it again
 * once, saves what it read with a node that matches it (size and content agree), flags it when it
 * kept changing, and the restore gives back exactly what was saved. Small files (one chunk) and
 * large ones (streamed) alike. (The source here changes the file as the backup opens it, so each
 * read sees one version and the test knows which.)
 */
@Timeout(60)
class ChangedWhileReadTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} bytes, {1} on {2} open(s)")
    @CsvSource({
        "4000, grow, 1", "4000, grow, 9", "4000, shrink, 1", "4000, shrink, 9",
        "3000000, grow, 1", "3000000, grow, 9", "3000000, shrink, 1", "3000000, shrink, 9"})
    void aFileChangingAsItIsOpened_isSavedAsRead_andRestoredAsSaved(int size, String change, int times) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        Path file = source.resolve("changing.bin");
        Random random = new Random(size + times);
        byte[] original = new byte[size];
        random.nextBytes(original);
        Files.write(file, original);
        int[] opens = {0};
        SourceFs fs = new ForwardingSourceFs() {
            @Override
            public FileChannel open(Path f) throws IOException {
                if (f.equals(file) && opens[0]++ < times) {
                    if (change.equals("grow")) {
                        byte[] more = new byte[size / 3 + 1];
                        random.nextBytes(more);
                        Files.write(file, more, StandardOpenOption.APPEND);
                    } else {
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.truncate(ch.size() / 2);
                        }
                    }
                }
                return super.open(f);
            }
        };
        BackupCounters counters = new BackupCounters();
        try (Repository r = TestRepositories.local(dir.resolve("r")).small().init().open(LockMode.WRITE)) {
            BackupResult result = new Backup(r, fs).run(BackupRequest.of(List.of(source)), counters, BackupProgress.NONE);
            assertThat(result.warnings()).isEmpty();
            byte[] now = Files.readAllBytes(file);
            TreeStore trees = new TreeStore(r.store());
            var root = new Snapshots(r).list().get(0).tree();
            Node node = TreePaths.find(trees, root, file.toString()).orElseThrow();
            assertThat(node.size()).isEqualTo(node.content().size());
            boolean keptChanging = times > 1;
            // Changed once: read again, whole and unflagged. Kept changing: what the second read got,
            // which for a growing file may stop at the size it had when that read began.
            if (keptChanging) {
                assertThat(node.size()).isPositive().isLessThanOrEqualTo(now.length);
            } else {
                assertThat(node.size()).isEqualTo(now.length);
            }
            assertThat(node.changedWhileRead()).isEqualTo(keptChanging);
            assertThat(counters.changedWhileRead.get()).isEqualTo(keptChanging ? 1 : 0);

            Path target = dir.resolve("restored");
            new Restorer(trees).run(RestoreRequest.of(root, target).withVerify(true), Restorer.Progress.NONE);
            byte[] restored = Files.readAllBytes(target.resolve(file.toString().substring(1)));
            assertThat(Arrays.equals(restored, Arrays.copyOf(now, (int) node.size()))).as("restored as read").isTrue();
        }
    }
}
