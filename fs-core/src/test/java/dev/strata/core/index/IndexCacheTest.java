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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** An index with some packs in it, closed; always the same ids, so the same file layout. */
    private Map<ChunkId, Long> fill() throws IOException {
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
        assertNull(o.recovered());
        SplittableRandom r = new SplittableRandom(1);
        Map<ChunkId, Long> offsets = new HashMap<>();
        for (int p = 0; p < 200; p++) {
            long offset = 48;
            List<PackEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] id = new byte[32];
                r.nextBytes(id);
                entries.add(new PackEntry(ChunkId.of(id), offset, 1028, 1000, CompressionCode.NONE));
                offsets.put(ChunkId.of(id), offset);
                offset += 1028;
            }
            byte[] pack = new byte[32];
            r.nextBytes(pack);
            o.index().addPack(PackId.of(pack), PackType.DATA, offset + 100, entries);
        }
        // Closed as a repository closes it: the file is marked checked, so each test below that damages
        // it also shows that damage done after the mark is still found.
        o.close();
        assertTrue(Files.exists(CheckedMark.mark(dataFile())), "a sound cache closed is marked");
        return offsets;
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

    /** Puts a pack record cut short (3 bytes where a record has 17 or more) into the closed index. */
    private void plantAPackRecordCutShort() throws IOException {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder())) {
            var packs = lmdb.table("packs", false);
            lmdb.write(txn -> packs.put(txn, new byte[32], new byte[] {1, 2, 3}));
        }
    }

    @Test
    void aPackRecordOutOfShape_inAnIndexReadWholeAtOpen_isSetAside() throws IOException {
        fill();
        plantAPackRecordCutShort();
        assertSetAsideAndRebuilt("a pack record cut short");
    }

    /**
     * An index above the size read whole at open is opened without reading its pack records (nor its
     * entries): at 10 million entries that read cost seconds and hundreds of MB of resident pages for
     * a command that needs none of them. The out-of-shape record planted here shows it was not read.
     */
    @Test
    void aLargeIndex_isOpenedWithoutReadingEveryPackRecord() throws IOException {
        Map<ChunkId, Long> filled = fill();
        plantAPackRecordCutShort();
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW, 5_000);
        try {
            assertNull(o.recovered());
            for (Map.Entry<ChunkId, Long> e : filled.entrySet()) {
                assertEquals(e.getValue(), o.index().lookup(e.getKey()).map(l -> l.entry().offset()).orElse(null));
            }
        } finally {
            o.lmdb().close();
        }
    }

    /**
     * The walk at open maps the data file; that mapping must end with the walk, not at some later
     * garbage collection: a mapped file keeps its disk busy (CI could not unmount a test disk once).
     */
    @Test
    void theWalkAtOpen_leavesNoMappingBehind() throws IOException {
        fill();
        assertNull(IndexCache.checkFile(dataFile()));
        String file = dataFile().toRealPath().toString();
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        assertTrue(maps.stream().noneMatch(line -> line.endsWith(" " + file)),
                () -> "still mapped: " + maps.stream().filter(line -> line.endsWith(file)).toList());
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
     * pages look sound and LMDB opens it, so only a walk of the tables finds it. Garbage over pages
     * that no table reaches (pages LMDB freed and keeps for reuse) harms nothing; so for every seed
     * the cache is either set aside, or answers every lookup as it was filled. The layout is the
     * same at every run, and some seeds hit pages in use: those must be found.
     */
    @Test
    void garbageOverPagesInTheMiddle_isFoundByTheWalk_andSetAside() throws IOException {
        int found = 0;
        for (int seed = 0; seed < 8; seed++) {
            java.nio.file.Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            Map<ChunkId, Long> filled = fill();
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
                if (o.recovered() != null) {
                    found++;
                    continue;
                }
                assertEquals(200, o.index().packs().size(), "seed " + seed + ": taken for sound, yet packs are missing");
                for (Map.Entry<ChunkId, Long> e : filled.entrySet()) {
                    assertEquals(e.getValue(), o.index().lookup(e.getKey()).map(l -> l.entry().offset()).orElse(null),
                            "seed " + seed + ": taken for sound, yet a lookup misses");
                }
            } finally {
                o.lmdb().close();
            }
        }
        assertTrue(found > 0, "no seed's garbage was found: the walk finds nothing, or the garbage never hits pages in use");
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

    @Test
    void aCacheClosedSound_isOpenedWithoutAWalk_andTheOpenFindsItsEntries() throws IOException {
        Map<ChunkId, Long> filled = fill();
        IndexCache.FileCheck check = IndexCache.examine(dataFile());
        assertTrue(check.marked(), "the state the mark names is not walked again");
        IndexCache.Opened o = IndexCache.open(folder(), REPO, NOW);
        try {
            assertNull(o.recovered());
            for (Map.Entry<ChunkId, Long> e : filled.entrySet()) {
                assertEquals(e.getValue(), o.index().lookup(e.getKey()).map(l -> l.entry().offset()).orElse(null));
            }
            o.index().addPack(PackId.random(), PackType.TREE, 100, List.of());
        } finally {
            o.close();
        }
        assertTrue(IndexCache.examine(dataFile()).marked(), "what this process committed is marked at its close");
        IndexCache.Opened again = IndexCache.open(folder(), REPO, NOW);
        assertEquals(201, again.index().packs().size());
        again.lmdb().close();
    }

    /**
     * Any write to the file that is not a close of a sound cache makes the mark stale, even one that
     * changes no byte and puts the modification time back: its change time moved.
     */
    @Test
    void aWriteToAMarkedFile_makesTheMarkStale() throws IOException {
        fill();
        var modified = Files.getLastModifiedTime(dataFile());
        try (RandomAccessFile f = new RandomAccessFile(dataFile().toFile(), "rw")) {
            byte[] same = new byte[4096];
            f.seek(8192);
            f.readFully(same);
            f.seek(8192);
            f.write(same);
        }
        Files.setLastModifiedTime(dataFile(), modified);
        IndexCache.FileCheck check = IndexCache.examine(dataFile());
        assertNull(check.problem());
        assertTrue(check.checked() && !check.marked(), "walked again");
    }

    /** A commit by another process (an environment opened directly here) changes the newest transaction. */
    @Test
    void aCommitByAnotherWriter_makesTheMarkStale() throws IOException {
        fill();
        plantAPackRecordCutShort();
        assertSetAsideAndRebuilt("a pack record cut short, written after the mark");
    }

    /**
     * The mark is what spares the walk: damage the mark is made to name (as a failing disk would leave
     * the file's stat alone) is not looked for; without the mark it is found.
     */
    @Test
    void aMarkNamingTheFile_sparesTheWalk() throws IOException {
        fill();
        long size = Files.size(dataFile());
        try (RandomAccessFile f = new RandomAccessFile(dataFile().toFile(), "rw")) {
            byte[] junk = new byte[(int) size - 8192];
            new SplittableRandom(5).nextBytes(junk);
            f.seek(8192);
            f.write(junk); // every page but the two meta pages
        }
        long txn = IndexCache.newestTransaction(dataFile());
        CheckedMark.record(dataFile(), txn);
        IndexCache.FileCheck marked = IndexCache.examine(dataFile());
        assertTrue(marked.marked());
        assertNull(marked.problem());
        CheckedMark.forget(dataFile());
        assertNotNull(IndexCache.examine(dataFile()).problem(), "walked, the damage is found");
    }

    @Test
    void aGarbledMark_isNoMark() throws IOException {
        fill();
        Files.writeString(CheckedMark.mark(dataFile()), "not a mark");
        assertTrue(!IndexCache.examine(dataFile()).marked());
        assertSetAsideAndRebuiltIfDamagedAfter();
    }

    private void assertSetAsideAndRebuiltIfDamagedAfter() throws IOException {
        Files.write(dataFile(), new byte[(int) Files.size(dataFile())]);
        assertSetAsideAndRebuilt("zeros after a garbled mark");
    }
}
