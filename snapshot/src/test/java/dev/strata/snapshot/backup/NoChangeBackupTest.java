package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.tree.Xattr;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.TreePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup with a parent looks at each entry once: one lstat per entry (no second walk for progress
 * totals, which come from the parent) and no xattr listing of a file whose ctime has not moved; a
 * file whose xattrs did change is read again.
 */
@Timeout(60)
class NoChangeBackupTest {
    private static final int FILES = 40;

    @TempDir
    Path dir;

    /** Counts the calls of the source filesystem. */
    private static final class Counting extends ForwardingSourceFs {
        final AtomicInteger lstats = new AtomicInteger();
        final AtomicInteger xattrs = new AtomicInteger();

        @Override
        public FileStatus lstat(Path path) throws IOException {
            lstats.incrementAndGet();
            return super.lstat(path);
        }

        @Override
        public List<Xattr> xattrs(Path path) throws IOException {
            xattrs.incrementAndGet();
            return super.xattrs(path);
        }
    }

    @Test
    void aBackupWithAParent_looksAtEachEntryOnce_andKeepsTheXattrsOfUnchangedFiles() throws IOException {
        Posix posix = Posix.get();
        Path src = Files.createDirectories(dir.resolve("src"));
        for (int d = 0; d < 2; d++) {
            Path sub = Files.createDirectories(src.resolve("d" + d));
            for (int i = 0; i < FILES / 2; i++) {
                Files.writeString(sub.resolve("f" + i), "file " + d + "/" + i);
            }
        }
        Path tagged = src.resolve("d0/f1");
        posix.setXattr(tagged, "user.colour", "blue".getBytes(StandardCharsets.UTF_8));
        int entries = FILES + 2;
        try (Repository r = TestRepositories.local(dir.resolve("r")).small().init().open(LockMode.WRITE)) {
            new Backup(r, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
            Counting fs = new Counting();
            AtomicLong totalFiles = new AtomicLong(-1);
            BackupProgress progress = new BackupProgress() {
                @Override
                public void totals(long files, long bytes) {
                    totalFiles.set(files);
                }
            };

            BackupResult second = new Backup(r, fs).run(BackupRequest.of(List.of(src)), new BackupCounters(), progress);

            // The folders above the source are saved too (their metadata only): one lstat and one listing each.
            int above = src.getNameCount() - 1;
            assertThat(fs.lstats.get()).as("lstat calls for %d entries, the source and the folders above", entries)
                    .isEqualTo(entries + 1 + above);
            assertThat(fs.xattrs.get()).as("xattr listings: of folders only").isEqualTo(3 + above);
            assertThat(totalFiles.get()).as("totals from the parent").isEqualTo(FILES);
            assertThat(second.counters().filesUnchanged()).isEqualTo(FILES);
            assertThat(xattr(r, second.snapshot(), tagged)).isEqualTo("blue");

            // Setting an xattr moves the ctime: that file's xattrs are read again, the others kept.
            posix.setXattr(tagged, "user.colour", "green".getBytes(StandardCharsets.UTF_8));
            posix.setXattr(src.resolve("d1/f2"), "user.new", "yes".getBytes(StandardCharsets.UTF_8));
            Snapshot third = new Backup(r, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(),
                    BackupProgress.NONE).snapshot();
            assertThat(xattr(r, third, tagged)).isEqualTo("green");
            assertThat(xattr(r, third, src.resolve("d1/f2"))).isEqualTo("yes");
        }
    }

    private static String xattr(Repository r, Snapshot s, Path file) throws IOException {
        Node n = TreePaths.find(new TreeStore(r.store()), s.tree(), file.toString()).orElseThrow();
        return n.xattrs().stream().filter(x -> x.name().startsWith("user."))
                .map(x -> new String(x.value(), StandardCharsets.UTF_8)).reduce((a, b) -> a + "," + b).orElse("");
    }
}
