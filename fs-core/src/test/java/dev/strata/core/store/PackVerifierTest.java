package dev.strata.core.store;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LostChunk;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a pack whole names exactly its damaged entries, marks them, and clears marks once they read intact. */
class PackVerifierTest {
    @TempDir
    Path dir;

    @Test
    void aFlippedEntry_isNamedAndMarked_andUsableAgainOncePutBack() throws IOException {
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            for (int i = 0; i < 8; i++) {
                repo.store().put(RandomData.bytes(i, 30_000), PackType.DATA);
            }
            repo.store().flush();
            PackRecord p = repo.index().packs().values().iterator().next();
            PackTable table = repo.store().packReader().readTable(p.id());
            PackEntry victim = table.entries().get(2);
            Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(p.id()).path());
            byte[] intact = Files.readAllBytes(file);
            ChunkStoreTest.flipByte(file, victim.offset() + 33);

            PackVerifier.Result r = repo.store().verifier().verify(p.id());

            assertFalse(r.ok());
            assertEquals(java.util.List.of(victim), r.damaged());
            assertEquals(table.entries().size(), r.entries());
            assertTrue(r.describe().contains(p.id().toString()) && r.describe().contains("1 of "), r.describe());
            ChunkId id = victim.id();
            assertFalse(repo.index().contains(id));
            assertEquals(LostChunk.Reason.DAMAGED, repo.index().lost(id).get(0).reason());

            Files.write(file, intact);
            PackVerifier.Result again = repo.store().verifier().verify(p.id());
            assertTrue(again.ok(), again.describe());
            assertTrue(repo.index().contains(id), "read back intact, it is usable again");
            assertNotNull(repo.store().get(id));
        }
    }

    @Test
    void aPackWhoseTableIsDamaged_isSalvagedWithTheIndexEntries() throws IOException {
        try (Repository repo = TestRepositories.local(dir).small().init().open()) {
            for (int i = 0; i < 8; i++) {
                repo.store().put(RandomData.text(i, 30_000), PackType.TREE);
            }
            repo.store().flush();
            PackRecord p = repo.index().packs().values().iterator().next();
            PackTable table = repo.store().packReader().readTable(p.id());
            Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(p.id()).path());
            PackEntry last = table.entries().get(table.entries().size() - 1);
            ChunkStoreTest.flipByte(file, last.end() + 5);
            ChunkStoreTest.flipByte(file, table.entries().get(0).offset() + 20);

            PackVerifier.Result r = repo.store().verifier().verify(p.id());

            assertNotNull(r.salvage());
            assertEquals(java.util.List.of(table.entries().get(0)), r.damaged());
            assertEquals(table.entries().subList(1, table.entries().size()), repo.index().entries(p.id()));
            assertTrue(repo.index().packs().get(p.id()).salvaged());
            for (PackEntry e : table.entries().subList(1, table.entries().size())) {
                assertEquals(e.rawLength(), repo.store().get(e.id()).length);
            }
        }
    }
}
