package dev.strata.core.pack;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The many-packs tool builds a repository Strata opens as its own: every pack indexed, with and
 * without index files; with them, opening with an empty cache reads no pack.
 */
class ManyPacksRepositoryTest {
    @TempDir
    Path dir;

    private long tableReads(Path repo, String cache, int expectedPacks) throws IOException {
        FaultInjectingBackend counting = new FaultInjectingBackend(new LocalBackend(repo));
        try (Repository r = TestRepositories.on(counting, dir.resolve(cache)).open(null)) {
            assertThat(r.index().packs()).hasSize(expectedPacks);
            assertThat(r.index().stats().chunks()).isEqualTo(expectedPacks * 3L);
        }
        return counting.calls(Operation.READ);
    }

    @Test
    void aBuiltRepository_opens_readingNoPackWhenIndexFilesDescribeThem() throws IOException {
        ManyPacksRepository.build(dir.resolve("plain"), 300, 3, 0);
        ManyPacksRepository.build(dir.resolve("indexed"), 300, 3, 100);
        assertThat(tableReads(dir.resolve("plain"), "c1", 300)).as("tables read").isGreaterThanOrEqualTo(300);
        assertThat(tableReads(dir.resolve("indexed"), "c2", 300)).isZero();
        try (Repository r = TestRepositories.on(new LocalBackend(dir.resolve("indexed")), dir.resolve("c3")).open(null)) {
            dev.strata.core.store.IndexSynchronizer.Report rebuilt = r.store().synchronizer().rebuild();
            assertThat(rebuilt.added()).as("the tables agree").isEqualTo(300);
            assertThat(rebuilt.salvaged()).isEmpty();
        }
    }
}
