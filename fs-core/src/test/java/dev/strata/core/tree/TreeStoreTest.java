package dev.strata.core.tree;

import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TreeStoreTest {
    @TempDir
    Path dir;

    /** A folder of {@code files} files of 1,000 chunks each: about 34 KB encoded per file. */
    private static Tree bigFolder(int seed, int files) {
        List<Node> nodes = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            List<ChunkRef> refs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] id = new byte[32];
                new java.util.Random(seed * 100_000L + f * 1000L + i).nextBytes(id);
                refs.add(ChunkRef.chunk(ChunkId.of(id), 1 << 20));
            }
            nodes.add(Node.builder(String.format("f%03d", f), NodeType.FILE).content(new FileContent.Inline(refs)).build());
        }
        return new Tree(nodes);
    }

    @Test
    void readingManyLargeTrees_keepsTheCacheWithinItsBytes() throws IOException {
        TestRepositories.local(dir).init();
        try (Repository repo = TestRepositories.local(dir).open(LockMode.APPEND)) {
            TreeStore trees = new TreeStore(repo.store());
            List<ChunkId> ids = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                ids.add(trees.write(bigFolder(t, 10)));
            }
            repo.store().flush();
            TreeStore reader = new TreeStore(repo.store());
            for (ChunkId id : ids) {
                assertThat(reader.read(id).nodes()).hasSize(10);
            }
            // 40 trees of about 340 KB encoded (several MB each decoded): a count bound of thousands kept them all.
            assertThat(reader.cachedTrees()).isLessThan(40).isGreaterThan(0);
            assertThat(reader.read(ids.get(39)).nodes()).hasSize(10);
        }
    }
}
