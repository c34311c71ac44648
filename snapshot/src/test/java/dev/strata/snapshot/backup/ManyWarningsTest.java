package dev.strata.snapshot.backup;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tree where many files cannot be read: every one is reported as it happens and counted, the
 * snapshot is saved, but the result lists only the first {@link Warnings#LISTED} — a tree of millions
 * of unreadable files must not fill the heap with its warnings.
 */
@Timeout(120)
class ManyWarningsTest {
    @TempDir
    Path dir;

    @Test
    void everyUnreadableFileIsReportedAndCounted_butOnlyTheFirstThousandAreListed() throws IOException {
        int files = Warnings.LISTED + 700;
        Path source = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < files; i++) {
            Files.writeString(source.resolve("f" + i), "content " + i);
        }
        SourceFs denying = new ForwardingSourceFs() {
            @Override
            public FileChannel open(Path f) throws IOException {
                throw new AccessDeniedException(f.toString());
            }
        };
        AtomicLong reported = new AtomicLong();
        BackupProgress progress = new BackupProgress() {
            @Override
            public void warning(Warnings.Warning w) {
                reported.incrementAndGet();
            }
        };
        try (Repository r = TestRepositories.local(dir.resolve("r")).small().init().open(LockMode.WRITE)) {
            BackupResult result = new Backup(r, denying).run(BackupRequest.of(List.of(source)), new BackupCounters(), progress);

            assertThat(reported.get()).isEqualTo(files);
            assertThat(result.warningCount()).isEqualTo(files);
            assertThat(result.snapshot().summary().warnings()).isEqualTo(files);
            assertThat(result.warnings()).hasSize(Warnings.LISTED);
            assertThat(result.incomplete()).isTrue();
        }
    }

    @Test
    void warnings_keepTheFirstOnes_inTheOrderTheyCame() {
        Warnings w = new Warnings(x -> { });
        for (int i = 0; i < Warnings.LISTED * 3; i++) {
            w.add(Path.of("/p" + i), "cannot read");
        }
        assertThat(w.count()).isEqualTo(Warnings.LISTED * 3L);
        assertThat(w.listed()).hasSize(Warnings.LISTED);
        assertThat(w.listed().get(0).path()).isEqualTo(Path.of("/p0"));
        assertThat(w.listed().get(Warnings.LISTED - 1).path()).isEqualTo(Path.of("/p" + (Warnings.LISTED - 1)));
    }
}
