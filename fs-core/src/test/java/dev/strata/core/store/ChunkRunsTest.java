package dev.strata.core.store;

import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.Backend;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkRunsTest {
    @TempDir
    Path dir;

    private List<ChunkId> store(Repository repo, int n) throws IOException {
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(repo.store().put(RandomData.bytes(i, 5_000 + i), PackType.DATA));
        }
        repo.store().flush();
        return ids;
    }

    @Test
    void neighboursInOnePack_areOneRun_readWithOneRequest() throws IOException {
        TestRepositories.local(dir).init();
        try (Repository repo = TestRepositories.local(dir).open(LockMode.APPEND)) {
            List<ChunkId> ids = store(repo, 8);
            List<ChunkId> wanted = List.of(ids.get(6), ids.get(1), ids.get(3));

            List<ChunkRuns.Run> runs = ChunkRuns.plan(repo.store(), wanted);

            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).ids()).containsExactly(ids.get(1), ids.get(3), ids.get(6));
            Map<ChunkId, byte[]> read = ChunkRuns.read(repo.store(), runs.get(0));
            assertThat(read.get(ids.get(6))).isEqualTo(RandomData.bytes(6, 5_006));
            assertThat(read.get(ids.get(1))).isEqualTo(RandomData.bytes(1, 5_001));
            assertThat(read).hasSize(3);
        }
    }

    @Test
    void aDamagedEntry_failsTheRun_andIsReadAlone_namingItsPack() throws IOException {
        TestRepositories.local(dir).init();
        try (Repository repo = TestRepositories.local(dir).open(LockMode.APPEND)) {
            List<ChunkId> ids = store(repo, 3);
            ChunkLocation loc = repo.store().locate(ids.get(2)).orElseThrow();
            Backend backend = new LocalBackend(dir.resolve("repo"));
            BlobName name = PackReader.blobName(loc.pack());
            byte[] pack = backend.get(name);
            pack[(int) loc.entry().offset() + 20] ^= 1;
            Files.write(dir.resolve("repo").resolve(name.path()), pack);
            ChunkRuns.Run run = ChunkRuns.plan(repo.store(), ids).get(0);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChunkRuns.read(repo.store(), run))
                    .isInstanceOf(dev.strata.core.error.CorruptDataException.class)
                    .hasMessageContaining(loc.pack().toString());
            assertThat(repo.index().lookup(ids.get(2))).as("marked damaged, as a single read marks it").isEmpty();
            assertThat(repo.store().get(ids.get(0))).isEqualTo(RandomData.bytes(0, 5_000));
        }
    }
}
