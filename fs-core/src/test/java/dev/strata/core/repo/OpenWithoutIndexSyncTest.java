package dev.strata.core.repo;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opening without bringing the index in line (for listing snapshots): the packs another process stored
 * since are not listed at open, and a chunk in one of them is still found when it is read.
 */
class OpenWithoutIndexSyncTest {
    @TempDir
    Path dir;

    @Test
    void packsStoredElsewhere_areNotListedAtOpen_butAChunkInThemStillReads() throws IOException {
        TestRepositories.Fixture mine = TestRepositories.local(dir).init();
        try (Repository r = mine.open(LockMode.READ)) {
            assertThat(r.index().packs()).isEmpty();
        }
        ChunkId stored;
        try (Repository other = TestRepositories.on(new LocalBackend(dir.resolve("repo")), dir.resolve("cache-other"))
                .open(LockMode.APPEND)) {
            stored = other.store().put(RandomData.bytes(5, 20_000), PackType.DATA);
            other.store().flush();
        }
        OpenOptions options = mine.openOptions(LockMode.READ).withoutIndexSync();
        try (Repository r = Repository.open(mine.backend(), TestRepositories.PASSWORD.toCharArray(), options,
                java.time.Clock.systemUTC(), HostIdentity.current())) {
            assertThat(r.openSync().added()).isZero();
            assertThat(r.index().packs()).as("not listed at open").isEmpty();
            assertThat(r.store().get(stored)).isEqualTo(RandomData.bytes(5, 20_000));
        }
    }
}
