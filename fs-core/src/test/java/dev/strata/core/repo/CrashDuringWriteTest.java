package dev.strata.core.repo;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackReader;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A writer killed with SIGKILL at varied moments leaves a repository that opens, whose index names
 * only complete packs that exist, and that returns every chunk whose flush was acknowledged.
 */
class CrashDuringWriteTest {
    private static final int ROUNDS = 5;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** One acknowledged flush, as the child printed it. */
    private record Acknowledged(long seed, int length, ChunkId tree, List<ChunkRef> refs) {
        static Acknowledged parse(String line) {
            String[] f = line.split(" ");
            List<ChunkRef> refs = new ArrayList<>();
            if (f.length > 4) {
                for (String ref : f[4].split(",")) {
                    String[] r = ref.split(":");
                    long len = Long.parseLong(r[1]);
                    refs.add(r[0].equals("hole") ? ChunkRef.hole(len) : ChunkRef.chunk(ChunkId.parse(r[0]), len));
                }
            }
            return new Acknowledged(Long.parseLong(f[1]), Integer.parseInt(f[2]), ChunkId.parse(f[3]), refs);
        }
    }

    @Test
    @Timeout(300)
    void killedWriter_leavesAConsistentRepository_andLosesNothingAcknowledged() throws Exception {
        TestRepositories.Fixture fixture = TestRepositories.local(dir).small().init();
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<Acknowledged> acknowledged = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String context = "round " + round + " of seed " + seed;
            int flushesBeforeKill = 1 + random.nextInt(4);
            int delayMillis = random.nextInt(400);
            List<String> lines;
            try (ChildJvm child = ChildJvm.start(CrashWriterMain.class, dir, dir.toString(), Long.toString(round + 1))) {
                String open = child.nextLine(CHILD_TIMEOUT);
                assertNotNull(open, context + ": the writer did not open the repository: " + child.stderr());
                assertTrue(open.startsWith("OPEN "), open);
                for (int n = 0; n < flushesBeforeKill; n++) {
                    String line = child.nextLine(CHILD_TIMEOUT);
                    if (line == null) {
                        fail(context + ": the writer stopped: " + child.stderr());
                    }
                }
                Thread.sleep(delayMillis);
                int exit = child.kill(Duration.ofSeconds(30));
                assertEquals(128 + 9, exit, context + ": killed by SIGKILL");
                lines = child.allLines(Duration.ofSeconds(30));
            }
            lines.stream().filter(l -> l.startsWith("FLUSHED ")).map(Acknowledged::parse).forEach(acknowledged::add);
            assertTrue(acknowledged.size() >= round + 1, context);

            assertIndexNamesOnlyPacksThatExist(fixture, context);
            assertRepositoryIsWhole(fixture, acknowledged, context);
        }
        assertTrue(fixture.backend().list(BlobType.LOCK).size() >= ROUNDS, "each killed writer left its lock behind");
    }

    /** Reads the index the killed writer left, before opening the repository can bring it in line. */
    private static void assertIndexNamesOnlyPacksThatExist(TestRepositories.Fixture fixture, String context) throws IOException {
        byte[] repositoryId = Repository.readPublicConfig(fixture.backend()).id();
        Map<PackId, Long> inBackend = packsInBackend(fixture);
        try (LmdbIndex index = LmdbIndex.open(fixture.indexFolder(), repositoryId)) {
            Map<PackId, PackRecord> packs = index.packs();
            for (PackRecord p : packs.values()) {
                assertEquals(inBackend.get(p.id()), (Long) p.size(), context + ": indexed pack " + p.id() + " in the backend");
            }
            for (ChunkLocation loc : index.allLocations()) {
                assertTrue(packs.containsKey(loc.pack()), context + ": chunk in an unknown pack " + loc.pack());
            }
        }
    }

    private static Map<PackId, Long> packsInBackend(TestRepositories.Fixture fixture) throws IOException {
        Map<PackId, Long> out = new HashMap<>();
        for (BlobInfo info : fixture.backend().list(BlobType.PACK)) {
            out.put(PackId.parse(info.name().name()), info.size());
        }
        return out;
    }

    private static void assertRepositoryIsWhole(TestRepositories.Fixture fixture, List<Acknowledged> acknowledged,
                                                String context) throws IOException {
        // The dead writer's lock must not keep a new writer out.
        try (Repository repo = fixture.open(LockMode.WRITE)) {
            assertEquals(List.of(), repo.openSync().damaged(), context + ": no torn pack is listed");
            Map<PackId, Long> inBackend = packsInBackend(fixture);
            Map<PackId, PackRecord> indexed = repo.index().packs();
            assertEquals(inBackend.keySet(), indexed.keySet(), context);
            for (PackId pack : indexed.keySet()) {
                repo.store().packReader().verify(pack, repo.store().hasher());
            }
            for (ChunkLocation loc : repo.index().allLocations()) {
                assertTrue(inBackend.containsKey(loc.pack()), context);
            }
            for (Acknowledged ack : acknowledged) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (ChunkRef ref : ack.refs()) {
                    out.write(ref.isHole() ? new byte[(int) ref.length()] : repo.store().get(ref.id()));
                }
                assertArrayEquals(RandomData.mixed(ack.seed(), ack.length()), out.toByteArray(),
                        context + ": data of flush " + ack.seed());
                assertArrayEquals(RandomData.text(ack.seed(), 5000), repo.store().get(ack.tree()), context);
            }
            assertTmpFilesAreNotPacks(fixture, inBackend.keySet(), context);
        }
    }

    /** A staged pack the writer did not finish storing stays in tmp/ and never becomes a pack. */
    private static void assertTmpFilesAreNotPacks(TestRepositories.Fixture fixture, Set<PackId> packs, String context)
            throws IOException {
        Path tmp = ((LocalBackend) fixture.backend()).root().resolve("tmp");
        Set<String> packNames = packs.stream().map(PackId::toString).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("pack-") && name.endsWith(".tmp")) {
                    String id = name.substring(5, name.length() - 4);
                    assertFalse(packNames.contains(id), context + ": staged " + name + " is listed as a pack");
                }
            }
        }
    }
}
