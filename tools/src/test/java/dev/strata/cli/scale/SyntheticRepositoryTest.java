package dev.strata.cli.scale;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.check.Check;
import dev.strata.snapshot.check.CheckReport;
import dev.strata.snapshot.check.CheckRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic repository reads as a real one: a clean check with every chunk reached, files that read. */
class SyntheticRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void aSmallSyntheticRepository_checksClean_andItsFilesRead() throws Exception {
        SyntheticRepository.build(dir.resolve("repo"), TestRepositories.PASSWORD.toCharArray(), TestRepositories.options(),
                2_500, 5, 32);
        try (Repository repo = TestRepositories.on(new LocalBackend(dir.resolve("repo")), dir.resolve("cache"))
                .open(LockMode.VERIFY)) {
            List<Snapshot> all = new Snapshots(repo).list();
            assertThat(all).hasSize(5);
            CheckReport report = new Check(repo).run(CheckRequest.STRUCTURE, n -> { });
            assertThat(report.errors()).isEmpty();
            assertThat(report.dataChunks()).isEqualTo(2_500);

            TreeStore trees = new TreeStore(repo.store());
            var data = trees.read(trees.read(all.get(4).tree()).find("data").orElseThrow().subtree());
            assertThat(data.nodes()).extracting(n -> n.name()).containsExactly("day-0000", "day-0001", "day-0002", "day-0003", "day-0004");
            var day0 = trees.read(data.find("day-0000").orElseThrow().subtree());
            var first = trees.refs(day0.nodes().get(0).content()).get(0);
            assertThat(repo.store().get(first.id())).isEqualTo(ByteBuffer.allocate(8).putLong(0).array());
        }
    }
}
