package dev.strata.snapshot.check;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Check beside a backup: a pack stored and indexed while check is listing the packs (here, right after
 * the listing is taken) is not called missing, and a snapshot another process saves while check runs is
 * walked with the packs it names, not taken for lost.
 */
class CheckDuringBackupTest {
    @TempDir
    Path dir;

    /** A backend that runs {@code hook} just after the n-th listing of packs has been read. */
    private static final class ListingHook implements Backend {
        private final Backend delegate;
        private int packListings;
        private int fireOn = -1;
        private IoRunnable hook;

        ListingHook(Backend delegate) {
            this.delegate = delegate;
        }

        void afterPackListing(int n, IoRunnable action) {
            packListings = 0;
            fireOn = n;
            hook = action;
        }

        @Override
        public List<BlobInfo> list(BlobType type) throws IOException {
            List<BlobInfo> listed = delegate.list(type);
            if (type == BlobType.PACK && ++packListings == fireOn) {
                hook.run();
            }
            return listed;
        }

        @Override public void create() throws IOException { delegate.create(); }
        @Override public void put(BlobName name, byte[] data) throws IOException { delegate.put(name, data); }
        @Override public void putFile(BlobName name, Path file) throws IOException { delegate.putFile(name, file); }
        @Override public byte[] get(BlobName name) throws IOException { return delegate.get(name); }
        @Override public byte[] read(BlobName name, long offset, int length) throws IOException { return delegate.read(name, offset, length); }
        @Override public long size(BlobName name) throws IOException { return delegate.size(name); }
        @Override public boolean exists(BlobName name) throws IOException { return delegate.exists(name); }
        @Override public void delete(BlobName name) throws IOException { delegate.delete(name); }
        @Override public Optional<Path> stagingDirectory() { return delegate.stagingDirectory(); }
        @Override public String location() { return delegate.location(); }
        @Override public void close() throws IOException { delegate.close(); }
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    @Test
    void packStoredWhileCheckLists_isNotReportedMissing() throws IOException {
        TestRepositories.local(dir).init();
        ListingHook backend = new ListingHook(new LocalBackend(dir.resolve("repo")));
        try (Repository repo = TestRepositories.on(backend, dir.resolve("cache")).open(LockMode.READ)) {
            repo.store().put(RandomData.bytes(1, 10_000), PackType.DATA);
            repo.store().flush();
            // Check lists packs twice: to bring the index in line, then for itself. A pack lands
            // (stored, then indexed, as a backup does it) just after the second listing.
            backend.afterPackListing(2, () -> {
                repo.store().put(RandomData.bytes(2, 10_000), PackType.DATA);
                repo.store().flush();
            });

            CheckReport report = new Check(repo).run(CheckRequest.STRUCTURE, n -> { });

            assertThat(report.errors()).isEmpty();
            assertThat(repo.index().packs()).hasSize(2);
        }
    }

    @Test
    void snapshotSavedByAnotherProcessWhileCheckRuns_isWalkedNotTakenForLost() throws IOException {
        TestRepositories.local(dir).init();
        java.nio.file.Path src = dir.resolve("src");
        java.nio.file.Files.createDirectories(src);
        java.nio.file.Files.write(src.resolve("a.bin"), RandomData.bytes(3, 300_000));
        ListingHook backend = new ListingHook(new LocalBackend(dir.resolve("repo")));
        try (Repository writer = TestRepositories.on(new LocalBackend(dir.resolve("repo")), dir.resolve("cache-writer"))
                .open(LockMode.APPEND);
             Repository checker = TestRepositories.on(backend, dir.resolve("cache")).open(LockMode.VERIFY)) {
            // The other process saves its snapshot once check has brought its index in line (the
            // first listing of packs in the check) but before it lists the snapshots.
            backend.afterPackListing(1, () -> new dev.strata.snapshot.backup.Backup(writer,
                    new dev.strata.snapshot.backup.LocalSourceFs()).run(
                    dev.strata.snapshot.backup.BackupRequest.of(List.of(src)),
                    new dev.strata.snapshot.backup.BackupCounters(), dev.strata.snapshot.backup.BackupProgress.NONE));

            CheckReport report = new Check(checker).run(CheckRequest.STRUCTURE, n -> { });

            assertThat(report.snapshots).isEqualTo(1);
            assertThat(report.errors()).isEmpty();
            assertThat(report.dataChunks).isPositive();
        }
    }
}
