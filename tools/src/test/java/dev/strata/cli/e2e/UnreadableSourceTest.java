package dev.strata.cli.e2e;

import dev.strata.core.posix.Extent;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.BackupResult;
import dev.strata.snapshot.backup.ForwardingSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder that cannot be listed and a file that cannot be opened are warnings: the backup still
 * writes its snapshot, flagged incomplete. Tests run as root, where permissions do not stop reads,
 * so a source filesystem that refuses chosen paths stands in for chmod 000.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreadableSourceTest {
    @TempDir
    Path tmp;

    @Test
    void unlistableFolderAndUnreadableFile_areWarnings_andTheSnapshotIsSaved() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("locked"));
        Files.writeString(src.resolve("locked/inside.txt"), "hidden");
        Files.writeString(src.resolve("secret.txt"), "secret");
        Files.writeString(src.resolve("plain.txt"), "plain");
        var cli = E2e.smallRepository(tmp);
        Path locked = src.resolve("locked").toAbsolutePath();
        Path secret = src.resolve("secret.txt").toAbsolutePath();

        BackupResult result;
        try (Repository r = TestRepositories.local(tmp).open()) {
            result = new Backup(r, new Refusing(Set.of(locked, secret)))
                    .run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
        }

        assertThat(result.incomplete()).isTrue();
        assertThat(result.warnings()).extracting(w -> w.path().toString())
                .contains(locked.toString(), secret.toString());
        assertThat(result.warnings()).extracting(Object::toString).contains(
                locked + ": cannot list directory, saved empty: permission denied",
                secret + ": cannot open, not saved: permission denied");
        String listing = ok(cli, "ls", "latest").out();
        assertThat(listing).contains(src.toAbsolutePath() + "/plain.txt", locked + "/")
                .doesNotContain("inside.txt");
    }

    /** The real filesystem, except that listing or opening the given paths is refused. */
    private static final class Refusing extends ForwardingSourceFs {
        private final Set<Path> refused;

        Refusing(Set<Path> refused) {
            this.refused = refused;
        }

        private void check(Path p) throws AccessDeniedException {
            if (refused.contains(p.toAbsolutePath())) {
                throw new AccessDeniedException(p.toString());
            }
        }

        @Override
        public List<String> list(Path dir) throws IOException {
            check(dir);
            return super.list(dir);
        }

        @Override
        public FileChannel open(Path file) throws IOException {
            check(file);
            return super.open(file);
        }

        @Override
        public List<Extent> dataExtents(Path file) throws IOException {
            check(file);
            return super.dataExtents(file);
        }
    }
}
