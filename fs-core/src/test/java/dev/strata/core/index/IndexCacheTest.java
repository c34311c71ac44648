package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexCacheTest {
    private static final byte[] REPO = new byte[16];
    private static final Instant NOW = Instant.parse("2026-11-26T10:20:30Z");

    @TempDir
    Path dir;

    private Path folder() {
        return dir.resolve("index");
    }

    /** An index with some packs in it, closed. */
    private void fill() throws IOException {
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
        assertNull(o.recovered());
        SplittableRandom r = new SplittableRandom(1);
        for (int p = 0; p < 200; p++) {
            long offset = 48;
            List<PackEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] id = new byte[32];
                r.nextBytes(id);
                entries.add(new PackEntry(ChunkId.of(id), offset, 1028, 1000, CompressionCode.NONE));
                offset += 1028;
            }
            o.index().addPack(PackId.random(), PackType.DATA, offset + 100, entries);
        }
        o.lmdb().close();
    }

    private Path dataFile() {
        return folder().resolve("data.mdb");
    }

    private void assertSetAsideAndRebuilt(String why) throws IOException {
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
        try {
            assertNotNull(o.recovered(), why);
            assertTrue(o.recovered().contains(folder().toString()), o.recovered());
            assertTrue(o.recovered().contains("index.damaged-20261126-102030"), o.recovered());
            assertEquals(0, o.index().packs().size(), "a new, empty index");
            o.index().addPack(PackId.random(), PackType.TREE, 100, List.of());
            assertEquals(1, o.index().packs().size());
        } finally {
            o.lmdb().close();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "the damaged folder is kept beside the new one");
        }
        IndexCache.Opened again = IndexCache.open(folder(), REPO, NOW);
        assertNull(again.recovered(), "the new cache is sound");
        again.lmdb().close();
    }

    @Test
    void aSoundCache_opensAsIs() throws IOException {
        fill();
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
        assertNull(o.recovered());
        assertEquals(200, o.index().packs().size());
        o.lmdb().close();
    }

    @Test
    void aDataFileOfGarbage_isSetAside() throws IOException {
        fill();
        byte[] garbage = new byte[(int) Files.size(dataFile())];
        new SplittableRandom(2).nextBytes(garbage);
        Files.write(dataFile(), garbage);
        assertSetAsideAndRebuilt("garbage");
    }

    @Test
    void aDataFileOfZeros_isSetAside() throws IOException {
        fill();
        Files.write(dataFile(), new byte[(int) Files.size(dataFile())]);
        assertSetAsideAndRebuilt("zeros");
    }

    @Test
    void aDataFileCutShort_isSetAside_beforeLmdbMapsIt() throws IOException {
        fill();
        try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        assertSetAsideAndRebuilt("cut short");
    }

    @Test
    void anEmptyDataFile_isSetAside() throws IOException {
        fill();
        Files.write(dataFile(), new byte[0]);
        assertSetAsideAndRebuilt("empty");
    }

    /**
     * Garbage over pages in the middle of the file, where the chunk table's entries are: the meta
     * pages look sound and LMDB opens it, so only a walk of the tables finds it. Every seed garbles
     * other pages; none may pass as sound, and none may make a lookup miss silently.
     */
    @Test
    void garbageOverPagesInTheMiddle_isFoundByTheWalk_andSetAside() throws IOException {
        for (int seed = 0; seed < 5; seed++) {
            java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            fill();
            long size = Files.size(dataFile());
            try (RandomAccessFile f = new RandomAccessFile(dataFile().toFile(), "rw")) {
                SplittableRandom r = new SplittableRandom(100 + seed);
                byte[] junk = new byte[3 * 4096];
                r.nextBytes(junk);
                long pages = size / 4096;
                f.seek((4 + r.nextLong(pages - 8)) * 4096);
                f.write(junk);
            }
            IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
            try {
                assertNotNull(o.recovered(), "seed " + seed + ": garbage in the middle was taken for a sound cache");
            } finally {
                o.lmdb().close();
            }
        }
    }

    @Test
    void garbledMetaPages_areSetAside() throws IOException {
        fill();
        try (RandomAccessFile f = new RandomAccessFile(dataFile().toFile(), "rw")) {
            byte[] junk = new byte[200];
            new SplittableRandom(3).nextBytes(junk);
            f.seek(0);
            f.write(junk);
            f.seek(4096);
            f.write(junk);
        }
        assertSetAsideAndRebuilt("meta pages");
    }
}
