package dev.strata.image;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.strata.image.DiskTools.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** A second image of the same name adds little; files inside an image dedup against file backups. */
class IncrementalAndDedupTest {
    @TempDir
    Path dir;

    @Test
    void secondImage_afterChangingAFewFiles_addsLittleAndNamesItsParent() throws Exception {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), fixture, 32);
        ImageFixture f = new ImageFixture(dir.resolve("r"));
        ImageResult first = f.create(img, ImageRequest.of("ext"));
        Path changed = dir.resolve("changed.txt");
        Files.write(changed, RandomData.text(9, 20_000));
        ok("debugfs", "-w", "-R", "write " + changed + " changed.txt", img.toString());
        ok("debugfs", "-w", "-R", "rm readme.txt", img.toString());

        ImageResult second = f.create(img, ImageRequest.of("ext"));

        assertThat(first.bytesAdded()).isGreaterThan(6L << 20);
        assertThat(second.bytesAdded()).isLessThan(1L << 20);
        assertThat(second.snapshot().parent()).isEqualTo(first.snapshot().id());
        assertThat(Images.named(f.snapshots(), "ext")).hasSize(2);
    }

    @Test
    void filesInsideAnImage_dedupAgainstABackupOfTheSameFiles() throws Exception {
        Path fixture = DiskTools.fixture(dir.resolve("files"));
        Path img = DiskTools.ext4(dir.resolve("ext4.img"), fixture, 32);
        ImageFixture f = new ImageFixture(dir.resolve("r"));
        long fileBytes = 0;
        for (String name : DiskTools.fixtureFiles()) {
            fileBytes += Files.size(fixture.resolve(name));
        }
        try (Repository r = f.repo.open()) {
            new Backup(r, new LocalSourceFs()).run(BackupRequest.of(List.of(fixture)), new BackupCounters(), BackupProgress.NONE);
        }

        ImageResult image = f.create(img, ImageRequest.of("ext").withUsedOnly(true));
        // The same image into an empty repository: what it costs without the file backup.
        ImageResult alone = new ImageFixture(dir.resolve("alone")).create(img, ImageRequest.of("ext").withUsedOnly(true));

        assertThat(image.bytesRead()).isGreaterThan(fileBytes);
        // mke2fs lays out metadata with random UUIDs and hash seeds, so the image's own bytes vary
        // from run to run; what the file backup saved it must not: most of the files' bytes.
        long saved = alone.bytesAdded() - image.bytesAdded();
        assertThat(saved).isGreaterThan(fileBytes * 6 / 10);
    }
}
