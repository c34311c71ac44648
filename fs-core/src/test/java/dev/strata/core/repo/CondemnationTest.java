package dev.strata.core.repo;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CondemnationTest {
    @TempDir
    Path dir;

    @Test
    void condemnationsAndLeases_roundTrip_andAreListed() throws IOException {
        try (Repository repo = TestRepositories.local(dir).init().open()) {
            Set<PackId> packs = Set.of(PackId.random(), PackId.random());
            Condemnation older = Condemnation.of(packs, Instant.parse("2026-12-01T10:00:00Z"), "a");
            Condemnation newer = Condemnation.of(Set.of(PackId.random()), Instant.parse("2026-12-02T10:00:00Z"), "b");
            newer.write(repo.backend(), repo.key());
            older.write(repo.backend(), repo.key());
            List<Condemnation> listed = Condemnation.list(repo.backend(), repo.key());
            assertEquals(List.of(older, newer), listed, "oldest first");
            assertEquals(3, Condemnation.packsOf(listed).size());

            Lease lease = new Lease("00112233445566778899aabbccddeeff", "volume docs", "h", Instant.now(), Set.of(older.id()));
            lease.write(repo.backend(), repo.key());
            assertEquals(Optional.of(lease), Lease.read(repo.backend(), repo.key(), lease.id()));
            Lease knowing = lease.knowing(Set.of(older.id(), newer.id()), Instant.now());
            knowing.write(repo.backend(), repo.key());
            assertEquals(List.of(knowing), Lease.list(repo.backend(), repo.key()));
            knowing.delete(repo.backend());
            assertTrue(Lease.list(repo.backend(), repo.key()).isEmpty());
        }
    }

    @Test
    void aDamagedCondemnation_failsTheListing_namingIt() throws IOException {
        try (Repository repo = TestRepositories.local(dir).init().open()) {
            Condemnation c = Condemnation.of(Set.of(PackId.random()), Instant.now(), "a");
            c.write(repo.backend(), repo.key());
            byte[] bytes = repo.backend().get(c.blobName());
            bytes[bytes.length / 2] ^= 1;
            repo.backend().put(c.blobName(), bytes);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> Condemnation.list(repo.backend(), repo.key()));
            assertTrue(e.getMessage().contains(c.id()), e.getMessage());
        }
    }
}
