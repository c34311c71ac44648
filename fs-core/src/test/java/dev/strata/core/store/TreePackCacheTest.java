package dev.strata.core.store;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.InMemoryBackend;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tree packs kept in the cache folder of a repository in remote storage (an in-memory backend stands in). */
class TreePackCacheTest {
    @TempDir
    Path dir;

    private final FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend());

    private TestRepositories.Fixture fixture() throws IOException {
        return TestRepositories.on(backend, dir.resolve("cache")).small().init();
    }

    /** Stores {@code n} tree objects of about 1 KiB each and returns them in order. */
    private static List<byte[]> storeTrees(Repository repo, int n) throws IOException {
        List<byte[]> trees = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] tree = RandomData.bytes(1000 + i, 1024);
            repo.store().put(tree, PackType.TREE);
            trees.add(tree);
        }
        repo.store().flush();
        return trees;
    }

    private long packReads() {
        return backend.calls(Operation.GET) + backend.calls(Operation.READ);
    }

    private Path packsFolder(Repository repo) {
        return dir.resolve("cache").resolve(repo.config().idHex()).resolve("packs");
    }

    private static List<Path> keptPacks(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).toList();
        }
    }

    @Test
    void treesStoredByThisMachine_areReadWithoutARequest() throws IOException {
        TestRepositories.Fixture f = fixture();
        List<byte[]> trees;
        try (Repository writer = f.open()) {
            trees = storeTrees(writer, 20);
        }
        try (Repository reader = f.open(LockMode.READ)) {
            long before = packReads();
            for (byte[] t : trees) {
                assertArrayEquals(t, reader.store().get(reader.store().hasher().hash(t)));
            }
            assertEquals(before, packReads(), "no pack read from the backend");
            assertEquals(0, reader.store().treePacksFetched());
        }
    }

    @Test
    void aTreePackNotKept_isFetchedWholeOnceForAllItsTrees() throws IOException {
        TestRepositories.Fixture f = fixture();
        List<byte[]> trees;
        Path folder;
        try (Repository writer = f.open()) {
            trees = storeTrees(writer, 20);
            folder = packsFolder(writer);
        }
        deleteAll(folder);
        try (Repository reader = f.open(LockMode.READ)) {
            long gets = backend.calls(Operation.GET);
            long reads = backend.calls(Operation.READ);
            for (byte[] t : trees) {
                assertArrayEquals(t, reader.store().get(reader.store().hasher().hash(t)));
            }
            long packs = keptPacks(folder).size();
            assertTrue(packs >= 1, "the packs read are kept");
            assertEquals(gets + packs, backend.calls(Operation.GET), "one whole read per tree pack");
            assertEquals(reads, backend.calls(Operation.READ), "no ranged read of a tree");
        }
    }

    @Test
    void aDamagedKeptPack_isFetchedAgainAndReplaced() throws IOException {
        TestRepositories.Fixture f = fixture();
        byte[] tree;
        ChunkLocation loc;
        Path folder;
        try (Repository writer = f.open()) {
            tree = storeTrees(writer, 1).get(0);
            ChunkId id = writer.store().hasher().hash(tree);
            loc = writer.index().lookup(id).orElseThrow();
            folder = packsFolder(writer);
        }
        Path kept = folder.resolve(loc.pack().toString().substring(0, 2)).resolve(loc.pack().toString());
        byte[] good = Files.readAllBytes(kept);
        try (RandomAccessFile raf = new RandomAccessFile(kept.toFile(), "rw")) {
            long at = loc.entry().offset() + 40;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
        try (Repository reader = f.open(LockMode.READ)) {
            long gets = backend.calls(Operation.GET);
            assertArrayEquals(tree, reader.store().get(loc.entry().id()));
            assertEquals(gets + 1, backend.calls(Operation.GET), "fetched again from the backend");
            assertTrue(reader.index().lost(loc.entry().id()).isEmpty(), "the backend's copy is not marked damaged");
        }
        assertArrayEquals(good, Files.readAllBytes(kept), "the damaged copy was replaced by the backend's");
    }

    @Test
    void theFolderStaysWithinItsBound_leastRecentlyUsedLeavingFirst() throws IOException {
        TestRepositories.Fixture f = fixture();
        List<byte[]> trees;
        Path folder;
        try (Repository writer = f.open()) {
            // 64 KiB tree packs (small()): 300 trees of 1 KiB make about five.
            trees = storeTrees(writer, 300);
            folder = packsFolder(writer);
        }
        deleteAll(folder);
        long bound = 150 << 10;
        try (Repository reader = f.open(LockMode.READ)) {
            TreePackCache cache = new TreePackCache(folder, bound, backend, reader.store().packReader());
            for (byte[] t : trees) {
                ChunkLocation loc = reader.index().lookup(reader.store().hasher().hash(t)).orElseThrow();
                assertArrayEquals(t, cache.readChunk(loc.pack(), loc.entry()));
            }
            assertTrue(cache.fetches() >= 4, "several packs: " + cache.fetches());
            long kept = 0;
            for (Path p : keptPacks(folder)) {
                kept += Files.size(p);
            }
            assertTrue(kept <= bound, kept + " bytes kept, bound " + bound);
            assertTrue(kept > 0, "the newest pack is kept");
            ChunkLocation last = reader.index().lookup(reader.store().hasher().hash(trees.get(trees.size() - 1))).orElseThrow();
            String hex = last.pack().toString();
            assertTrue(Files.exists(folder.resolve(hex.substring(0, 2)).resolve(hex)), "the pack used last is kept");
        }
    }

    private static void deleteAll(Path folder) throws IOException {
        for (Path p : keptPacks(folder)) {
            Files.delete(p);
        }
    }
}
