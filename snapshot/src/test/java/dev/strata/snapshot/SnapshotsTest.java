package dev.strata.snapshot;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshot records in a hostile repository: an absurdly large record is damage, not an allocation. */
class SnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void hugeRecord_isReportedDamaged_withoutReadingIt() throws Exception {
        var fixture = TestRepositories.local(dir).init();
        String name = "ab".repeat(32);
        Path record = dir.resolve("repo/snapshots").resolve(name);
        java.nio.file.Files.createDirectories(record.getParent());
        try (RandomAccessFile f = new RandomAccessFile(record.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        try (Repository repo = fixture.open(LockMode.READ)) {
            List<String> damaged = new ArrayList<>();

            assertThat(new Snapshots(repo).list(damaged)).isEmpty();

            assertThat(damaged).singleElement().asString()
                    .isEqualTo("snapshot " + name + " is 3221225472 bytes long; a record has at most 67108864"
                            + " (damaged or not a snapshot record)");
        }
        assertThat(record.toFile().delete()).isTrue();
    }

    @Test
    void listWithoutDamagedList_failsWithTheSameClearError() throws Exception {
        var fixture = TestRepositories.local(dir).init();
        Path record = dir.resolve("repo/snapshots").resolve("cd".repeat(32));
        java.nio.file.Files.createDirectories(record.getParent());
        try (RandomAccessFile f = new RandomAccessFile(record.toFile(), "rw")) {
            f.setLength(Snapshots.MAX_RECORD_BYTES + 1);
        }
        try (Repository repo = fixture.open(LockMode.READ)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Snapshots(repo).list())
                    .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("bytes long");
        }
    }
}
