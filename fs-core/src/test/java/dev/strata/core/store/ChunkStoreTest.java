package dev.strata.core.store;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.compress.CompressionCode;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LostChunk;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.InMemoryBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkStoreTest {
    private static final int MIN = TestRepositories.SMALL_CHUNKS.minSize();
    private static final int MAX = TestRepositories.SMALL_CHUNKS.maxSize();

    @TempDir
    Path dir;

    private final List<Repository> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Repository r : opened) {
            r.close();
        }
    }

    private Repository openSmall() throws IOException {
        Repository r = TestRepositories.local(dir).small().init().open();
        opened.add(r);
        return r;
    }

    static byte[] reassemble(ChunkStore store, List<ChunkRef> refs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChunkRef ref : refs) {
            out.write(ref.isHole() ? new byte[(int) ref.length()] : store.get(ref.id()));
        }
        return out.toByteArray();
    }

    private static List<ChunkRef> put(ChunkStore store, byte[] data) throws IOException {
        return store.putStream(RandomData.channel(data));
    }

    private static Set<PackId> packsInBackend(Repository r) throws IOException {
        return r.backend().list(BlobType.PACK).stream().map(i -> PackId.parse(i.name().name())).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10_000, 16 * 1024, 3 << 20})
    void putStream_thenGet_returnsTheInput(int size) throws IOException {
        Repository repo = openSmall();
        byte[] data = RandomData.mixed(size, size);

        List<ChunkRef> refs = put(repo.store(), data);
        repo.store().flush();

        assertEquals(size, refs.stream().mapToLong(ChunkRef::length).sum());
        assertArrayEquals(data, reassemble(repo.store(), refs));
        if (size == 0) {
            assertEquals(List.of(), refs);
        }
        if (size > 0 && size < MIN) {
            assertEquals(1, refs.size(), "a stream shorter than the minimum is one chunk");
        }
        if (size == 3 << 20) {
            assertTrue(refs.size() > 3 << 20 >> 18, "many chunks: " + refs.size());
        }
    }

    @Test
    void aChunkInItsStoredForm_goesToAnotherRepositoryOfTheSameKeys_andIsSealedThereWithoutCompressingAgain() throws IOException {
        byte[] volumeId = RandomData.bytes(3, 16);
        VolumeKeys keys = VolumeKeys.generate(volumeId, 4096, 16384, 65536);
        Repository a = TestRepositories.local(dir.resolve("a")).small().init().open();
        opened.add(a);
        Repository b = TestRepositories.local(dir.resolve("b")).small().init().open();
        opened.add(b);
        ChunkStore va = a.volumeStore(keys);
        ChunkStore vb = b.volumeStore(VolumeKeys.fromPlaintext(volumeId, keys.plaintext()));
        byte[] text = RandomData.text(5, 50_000);
        ChunkRef ref = va.putDataChunk(text.clone());
        va.flush();

        StoredChunk stored = va.getStored(ref.id());
        assertEquals(CompressionCode.ZSTD, stored.compression());
        assertEquals(text.length, stored.rawLength());
        assertTrue(stored.payload().length < text.length / 2, "text compresses: " + stored.payload().length);

        vb.putStored(ref.id(), text, stored);
        vb.flush();
        assertArrayEquals(text, vb.get(ref.id()));
        assertEquals(stored.payload().length + Aes256GcmCipher.OVERHEAD, vb.stats().bytesStored(), "sealed as it came");
        for (PackRecord pack : b.index().packs().values()) {
            assertTrue(b.store().verifier().verify(pack.id()).ok(), "pack " + pack.id() + " verifies under the volume's key");
        }
        vb.putStored(ref.id(), text, stored);
        assertEquals(1, vb.stats().chunksDuplicate(), "a chunk held already is not stored twice");
    }

    @Test
    void aChunkNotInAPackYet_comesInStoredFormAsItsPlaintext() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        store.keepPendingReadable();
        byte[] text = RandomData.text(6, 30_000);
        ChunkRef ref = store.putDataChunk(text.clone());
        assertEquals(StoredChunk.plain(text).compression(), store.getStored(ref.id()).compression());
        assertArrayEquals(text, store.getStored(ref.id()).payload());
        store.flush();
        assertEquals(CompressionCode.ZSTD, store.getStored(ref.id()).compression());
    }

    @Test
    void putStream_isReadableAfterReopen() throws IOException {
        var fixture = TestRepositories.local(dir).small().init();
        byte[] data = RandomData.mixed(7, 2 << 20);
        List<ChunkRef> refs;
        try (Repository repo = fixture.open()) {
            refs = put(repo.store(), data);
            repo.store().flush();
        }
        try (Repository repo = fixture.open()) {
            assertArrayEquals(data, reassemble(repo.store(), refs));
        }
    }

    @Test
    void keepPendingReadable_chunksReadBeforeTheirPackIsWritten_andThePlaintextGoesOnceIndexed() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] chunk = RandomData.mixed(11, 40_000);
        ChunkRef plainStore = store.putDataChunk(chunk.clone());
        assertThrows(MissingChunkException.class, () -> store.get(plainStore.id()), "without it, unreadable until flushed");

        store.keepPendingReadable();
        byte[] other = RandomData.mixed(12, 40_000);
        ChunkRef ref = store.putDataChunk(other.clone());
        assertArrayEquals(other, store.get(ref.id()));
        assertEquals(other.length, store.pendingReadableBytes());
        store.putDataChunk(other.clone());
        assertEquals(other.length, store.pendingReadableBytes(), "the same chunk again is kept once");
        byte[] third = new byte[30_000];
        new java.util.Random(13).nextBytes(third);
        store.putDataChunk(third.clone());
        assertEquals(other.length + third.length, store.pendingReadableBytes());
        store.flush();
        assertEquals(0, store.pendingReadableBytes());
        assertArrayEquals(other, store.get(ref.id()));
    }

    @Test
    void aChunkWhoseOnlyCopyIsInACondemnedPack_isStoredAgain_andThenDeduplicatedAgainstTheNewCopy() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] chunk = new byte[40_000];
        new java.util.Random(21).nextBytes(chunk);
        ChunkRef first = store.putDataChunk(chunk.clone());
        store.flush();
        Set<PackId> before = packsInBackend(repo);
        assertTrue(store.contains(first.id()));

        store.condemn(before);
        assertFalse(store.contains(first.id()), "a reference to a condemned copy is not safe to write");
        long newBefore = store.stats().chunksNew();
        store.putDataChunk(chunk.clone());
        store.flush();
        assertEquals(newBefore + 1, store.stats().chunksNew(), "stored again, outside the condemned pack");
        assertTrue(store.contains(first.id()));
        store.putDataChunk(chunk.clone());
        store.flush();
        assertEquals(newBefore + 1, store.stats().chunksNew(), "the new copy counts");
        assertEquals(before.size() + 1, packsInBackend(repo).size());
    }

    @Test
    void secondPutOfTheSameStream_storesNothingNew() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] data = RandomData.mixed(3, 2 << 20);

        List<ChunkRef> first = put(store, data);
        store.flush();
        PutStats afterFirst = store.stats();
        Set<PackId> packs = packsInBackend(repo);
        List<ChunkRef> second = put(store, data);
        store.flush();
        PutStats afterSecond = store.stats();

        assertEquals(first, second);
        long stored = first.stream().filter(r -> !r.isHole()).count();
        assertEquals(afterFirst.chunksNew(), afterSecond.chunksNew());
        assertEquals(afterFirst.bytesNew(), afterSecond.bytesNew());
        assertEquals(afterFirst.chunksDuplicate() + stored, afterSecond.chunksDuplicate());
        assertEquals(packs, packsInBackend(repo), "no new packs");
    }

    @Test
    void secondPutBeforeAnyFlush_isAlsoADuplicate() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] data = RandomData.bytes(4, 1 << 20);

        List<ChunkRef> first = put(store, data);
        long newAfterFirst = store.stats().chunksNew();
        put(store, data);
        store.flush();

        assertEquals(newAfterFirst, store.stats().chunksNew());
        assertEquals(first.size(), repo.index().stats().chunks(), "each chunk stored once");
        assertEquals(first.size(), repo.index().allLocations().size());
    }

    @Test
    void allZeroRegion_becomesHoles_andStoresNothing() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] zeros = new byte[5 * MAX + 12345];

        List<ChunkRef> refs = put(store, zeros);
        store.flush();

        assertTrue(refs.stream().allMatch(ChunkRef::isHole), refs.toString());
        assertEquals(zeros.length, refs.stream().mapToLong(ChunkRef::length).sum());
        PutStats stats = store.stats();
        assertEquals(zeros.length, stats.holeBytes());
        assertEquals(0, stats.chunksNew());
        assertEquals(0, stats.bytesStored());
        assertEquals(Set.of(), packsInBackend(repo));
        assertEquals(0, repo.index().stats().chunks());
        assertArrayEquals(zeros, reassemble(store, refs));
    }

    @Test
    void zerosBetweenData_becomeHolesInsideTheZeroRegion() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] head = RandomData.bytes(1, 100_000);
        byte[] tail = RandomData.bytes(2, 100_000);
        int zeroRun = 4 * MAX;
        byte[] data = new byte[head.length + zeroRun + tail.length];
        System.arraycopy(head, 0, data, 0, head.length);
        System.arraycopy(tail, 0, data, head.length + zeroRun, tail.length);

        List<ChunkRef> refs = put(store, data);
        store.flush();

        long offset = 0;
        long holeBytes = 0;
        for (ChunkRef ref : refs) {
            if (ref.isHole()) {
                assertTrue(offset >= head.length && offset + ref.length() <= head.length + zeroRun,
                        "hole at " + offset + "+" + ref.length() + " lies in the zeros");
                holeBytes += ref.length();
            }
            offset += ref.length();
        }
        // Only the chunks that straddle the edges of the zero run hold zeros without being holes.
        assertTrue(holeBytes >= zeroRun - 2L * MAX, "hole bytes " + holeBytes);
        assertEquals(holeBytes, store.stats().holeBytes());
        assertEquals(data.length - holeBytes, store.stats().bytesNew());
        assertArrayEquals(data, reassemble(store, refs));
    }

    @Test
    void putTree_goesToATreePack_andDataToADataPack() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] tree = RandomData.text(5, 3000);
        ChunkId treeId = store.put(tree, PackType.TREE);
        ChunkId dataId = store.put(RandomData.bytes(6, 3000), PackType.DATA);
        store.flush();

        ChunkLocation treeAt = repo.index().lookup(treeId).orElseThrow();
        ChunkLocation dataAt = repo.index().lookup(dataId).orElseThrow();
        assertEquals(PackType.TREE, treeAt.type());
        assertEquals(PackType.DATA, dataAt.type());
        assertFalse(treeAt.pack().equals(dataAt.pack()));
        Map<PackId, PackRecord> packs = repo.index().packs();
        assertEquals(PackType.TREE, packs.get(treeAt.pack()).type());
        assertEquals(PackType.TREE, store.packReader().readTable(treeAt.pack()).type());
        assertEquals(PackType.DATA, store.packReader().readTable(dataAt.pack()).type());
        assertArrayEquals(tree, store.get(treeId));
        assertEquals(store.hasher().hash(tree), treeId);
    }

    @Test
    void concurrentPutStreams_storeEachChunkOnce_andReadBack() throws Exception {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] shared = RandomData.bytes(99, 600_000);
        List<byte[]> inputs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            byte[] own = RandomData.mixed(100 + t, 800_000);
            byte[] input = new byte[shared.length + own.length + shared.length];
            System.arraycopy(shared, 0, input, 0, shared.length);
            System.arraycopy(own, 0, input, shared.length, own.length);
            System.arraycopy(shared, 0, input, shared.length + own.length, shared.length);
            inputs.add(input);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<List<ChunkRef>> results = new ArrayList<>();
        try {
            List<Future<List<ChunkRef>>> futures = new ArrayList<>();
            for (byte[] input : inputs) {
                futures.add(pool.submit(() -> put(store, input)));
            }
            for (Future<List<ChunkRef>> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        store.flush();

        Set<ChunkId> distinct = new HashSet<>();
        for (int t = 0; t < 4; t++) {
            assertArrayEquals(inputs.get(t), reassemble(store, results.get(t)), "stream " + t);
            results.get(t).stream().filter(r -> !r.isHole()).forEach(r -> distinct.add(r.id()));
        }
        assertEquals(distinct.size(), store.stats().chunksNew());
        List<ChunkLocation> locations = repo.index().allLocations();
        assertEquals(distinct.size(), locations.size(), "no chunk stored twice");
        assertEquals(distinct, locations.stream().map(l -> l.entry().id()).collect(Collectors.toSet()));
    }

    @Test
    void get_ofAnUnknownChunk_throwsMissingChunkException() throws IOException {
        Repository repo = openSmall();
        ChunkId unknown = repo.store().hasher().hash("never stored".getBytes());
        MissingChunkException e = assertThrows(MissingChunkException.class, () -> repo.store().get(unknown));
        assertTrue(e.getMessage().contains(unknown.shortString()), e.getMessage());
    }

    @Test
    void get_fromADamagedPack_throwsCorruptDataExceptionNamingThePack() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        List<ChunkRef> refs = put(store, RandomData.bytes(8, 500_000));
        store.flush();
        ChunkId victim = refs.get(refs.size() / 2).id();
        ChunkLocation at = repo.index().lookup(victim).orElseThrow();
        Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(at.pack()).path());
        flipByte(file, at.entry().offset() + at.entry().storedLength() / 2);

        CorruptDataException e = assertThrows(CorruptDataException.class, () -> store.get(victim));

        assertTrue(e.getMessage().contains(at.pack().toString()), e.getMessage());
        // The other chunks of the pack are intact and still readable.
        ChunkId neighbour = refs.get(0).id();
        assertTrue(store.get(neighbour).length > 0);
    }

    @Test
    void aDamagedCopy_isMarked_soItIsNoLongerADuplicate_andAnotherCopyServesReads() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        byte[] data = RandomData.bytes(21, 40_000);
        ChunkId id = store.put(data, PackType.DATA);
        store.flush();
        ChunkLocation first = repo.index().lookup(id).orElseThrow();
        Path file = ((LocalBackend) repo.backend()).root().resolve(PackReader.blobName(first.pack()).path());
        flipByte(file, first.entry().offset() + first.entry().storedLength() / 2);

        CorruptDataException e = assertThrows(CorruptDataException.class, () -> store.get(id));
        assertTrue(e.getMessage().contains(first.pack().toString()), e.getMessage());
        assertFalse(store.contains(id), "a damaged chunk counts as absent, so the next put stores it again");
        assertEquals(LostChunk.Reason.DAMAGED, repo.index().lost(id).get(0).reason());
        CorruptDataException again = assertThrows(CorruptDataException.class, () -> store.get(id));
        assertTrue(again.getMessage().contains(first.pack().toString()), again.getMessage());

        assertEquals(id, store.put(data, PackType.DATA));
        store.flush();
        ChunkLocation second = repo.index().lookup(id).orElseThrow();
        assertFalse(second.pack().equals(first.pack()));
        assertArrayEquals(data, store.get(id));
    }

    @Test
    void aPackDeletedBehindTheIndex_isForgotten_andNamedWhenItsChunksAreRead() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        ChunkId id = store.put(RandomData.bytes(22, 30_000), PackType.DATA);
        store.flush();
        ChunkLocation at = repo.index().lookup(id).orElseThrow();
        repo.backend().delete(PackReader.blobName(at.pack()));

        MissingChunkException e = assertThrows(MissingChunkException.class, () -> store.get(id));

        assertTrue(e.getMessage().contains(at.pack().toString()), e.getMessage());
        assertFalse(repo.index().containsPack(at.pack()));
        assertEquals(LostChunk.Reason.MISSING, repo.index().lost(id).get(0).reason());
        assertThrows(MissingChunkException.class, () -> store.get(id));
    }

    @Test
    void getRun_readsTheRunOnce_andADamagedEntryFailsAlone_marked() throws IOException {
        FaultInjectingBackend counted = new FaultInjectingBackend(new LocalBackend(dir.resolve("counted")));
        Repository repo = TestRepositories.on(counted, dir.resolve("counted-cache")).small().init().open();
        opened.add(repo);
        ChunkStore store = repo.store();
        List<byte[]> data = new ArrayList<>();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            data.add(RandomData.bytes(40 + i, 20_000 + i));
            ids.add(store.put(data.get(i), PackType.DATA));
        }
        store.flush();
        List<ChunkLocation> where = new ArrayList<>();
        for (ChunkId id : ids) {
            where.add(repo.index().lookup(id).orElseThrow());
        }
        PackId pack = where.get(0).pack();
        assertTrue(where.stream().allMatch(l -> l.pack().equals(pack)), "one pack holds them all");
        ChunkLocation victim = where.get(3);
        flipByte(((LocalBackend) counted.delegate()).root().resolve(PackReader.blobName(pack).path()),
                victim.entry().offset() + victim.entry().storedLength() / 2);
        List<PackEntry> entries = where.stream().map(ChunkLocation::entry)
                .sorted(java.util.Comparator.comparingLong(PackEntry::offset)).toList();
        Map<ChunkId, byte[]> got = new HashMap<>();
        Map<ChunkId, IOException> failed = new HashMap<>();
        long reads = counted.calls(Operation.READ);

        store.getRun(pack, entries, new ChunkStore.RunSink() {
            @Override
            public void chunk(ChunkId id, byte[] plain) {
                got.put(id, plain);
            }

            @Override
            public void failed(ChunkId id, IOException why) {
                failed.put(id, why);
            }
        });

        assertEquals(Set.of(victim.entry().id()), failed.keySet());
        assertTrue(failed.get(victim.entry().id()) instanceof CorruptDataException);
        assertEquals(LostChunk.Reason.DAMAGED, repo.index().lost(victim.entry().id()).get(0).reason());
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).equals(victim.entry().id())) {
                assertArrayEquals(data.get(i), got.get(ids.get(i)));
            }
        }
        // One read for the run; the damaged entry alone is read as get() reads it: once, then once more
        // as a copy marked damaged (a misread must not condemn it), before it is given up.
        assertEquals(3, counted.calls(Operation.READ) - reads);
    }

    /**
     * A run's stream that breaks part-way (the second piece of a multi-MiB read fails) is opened again
     * from the entry it broke in: every chunk arrives, none twice, with one more read rather than a
     * read per entry.
     */
    @Test
    void getRun_aStreamThatBreaks_isOpenedAgainWhereItBroke() throws IOException {
        FaultInjectingBackend counted = new FaultInjectingBackend(new LocalBackend(dir.resolve("broken")));
        Repository repo = TestRepositories.on(counted, dir.resolve("broken-cache")).init().open();
        opened.add(repo);
        ChunkStore store = repo.store();
        Map<ChunkId, byte[]> data = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            byte[] b = RandomData.bytes(70 + i, 300_000 + i);
            data.put(store.put(b, PackType.DATA), b);
        }
        store.flush();
        List<ChunkLocation> where = new ArrayList<>();
        for (ChunkId id : data.keySet()) {
            where.add(repo.index().lookup(id).orElseThrow());
        }
        PackId pack = where.get(0).pack();
        assertTrue(where.stream().allMatch(l -> l.pack().equals(pack)), "one pack holds them all");
        List<PackEntry> entries = where.stream().map(ChunkLocation::entry)
                .sorted(java.util.Comparator.comparingLong(PackEntry::offset)).toList();
        assertTrue(entries.get(entries.size() - 1).end() - entries.get(0).offset() > 3 << 20, "a run of several pieces");
        List<ChunkId> got = new ArrayList<>();
        long reads = counted.calls(Operation.READ);
        counted.failCall(Operation.READ, 2);

        store.getRun(pack, entries, new ChunkStore.RunSink() {
            @Override
            public void chunk(ChunkId id, byte[] plain) {
                assertArrayEquals(data.get(id), plain);
                got.add(id);
            }

            @Override
            public void failed(ChunkId id, IOException why) {
                throw new AssertionError(id + " failed", why);
            }
        });

        assertEquals(entries.stream().map(PackEntry::id).toList(), got);
        long pieces = (entries.get(entries.size() - 1).end() - entries.get(0).offset() + (1 << 20) - 1) >> 20;
        assertTrue(counted.calls(Operation.READ) - reads <= pieces + 2,
                (counted.calls(Operation.READ) - reads) + " reads for " + pieces + " pieces");
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    @Test
    void afterFlush_everyChunkIsIndexed_andEveryIndexedPackIsInTheBackend() throws IOException {
        Repository repo = openSmall();
        ChunkStore store = repo.store();
        List<ChunkRef> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refs.addAll(put(store, RandomData.mixed(20 + i, 1_500_000)));
            store.put(RandomData.text(30 + i, 40_000), PackType.TREE);
        }
        store.flush();

        for (ChunkRef ref : refs) {
            if (!ref.isHole()) {
                assertTrue(repo.index().contains(ref.id()), ref.id().shortString());
            }
        }
        Map<PackId, PackRecord> indexed = repo.index().packs();
        assertTrue(indexed.size() >= 4, "small packs make many packs: " + indexed.size());
        Map<PackId, Long> inBackend = new HashMap<>();
        for (BlobInfo info : repo.backend().list(BlobType.PACK)) {
            inBackend.put(PackId.parse(info.name().name()), info.size());
        }
        assertEquals(inBackend.keySet(), indexed.keySet());
        Set<ChunkLocation> fromTables = new HashSet<>();
        for (PackRecord p : indexed.values()) {
            assertEquals(inBackend.get(p.id()), p.size(), "size of " + p.id().shortString());
            PackTable table = store.packReader().verify(p.id(), store.hasher());
            assertEquals(p.type(), table.type());
            assertEquals(p.entryCount(), table.entries().size());
            for (PackEntry e : table.entries()) {
                fromTables.add(new ChunkLocation(p.id(), table.type(), e));
            }
        }
        assertEquals(fromTables, new HashSet<>(repo.index().allLocations()));
    }

    @Test
    void failedPutFile_makesFlushThrow_andIndexesNothingOfThatPack() throws IOException {
        FaultInjectingBackend backend = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        var fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        try (Repository repo = fixture.open()) {
            ChunkStore store = repo.store();
            List<ChunkRef> refs = put(store, RandomData.bytes(9, 600_000));
            backend.failCall(Operation.PUT_FILE, 1);

            IOException e = assertThrows(IOException.class, store::flush);

            assertTrue(hasCause(e, FaultInjectingBackend.InjectedFault.class), "the injected fault is the cause");
            assertEquals(Map.of(), repo.index().packs());
            for (ChunkRef ref : refs) {
                assertFalse(repo.index().contains(ref.id()));
            }
            assertEquals(List.of(), backend.list(BlobType.PACK));
            assertThrows(IOException.class, store::flush, "the failure is not forgotten");
        }
        try (Repository repo = fixture.open()) {
            assertEquals(Map.of(), repo.index().packs(), "nothing appears on reopen either");
        }
    }

    @Test
    void failedPutFile_amongMany_leavesTheIndexEqualToTheBackend() throws IOException {
        FaultInjectingBackend backend = new FaultInjectingBackend(new LocalBackend(dir.resolve("repo")));
        var fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        try (Repository repo = fixture.open()) {
            ChunkStore store = repo.store();
            backend.failCall(Operation.PUT_FILE, 2);
            List<ChunkRef> refs = new ArrayList<>();
            try {
                refs.addAll(put(store, RandomData.bytes(10, 5 << 20)));
            } catch (IOException refusedAfterTheFailure) {
                // an append after the failed pack may already be refused
            }
            assertThrows(IOException.class, store::flush);

            Set<PackId> indexed = repo.index().packs().keySet();
            assertEquals(packsInBackend(repo), indexed);
            assertEquals(backend.calls(Operation.PUT_FILE) - 1, indexed.size(), "every pack but the failed one");
            for (ChunkLocation loc : repo.index().allLocations()) {
                assertTrue(store.get(loc.entry().id()).length == loc.entry().rawLength());
            }
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void put_returnsTheKeyedIdOfTheBytes() throws IOException {
        Repository repo = openSmall();
        byte[] data = RandomData.text(11, 5000);
        ChunkId id = repo.store().put(data, PackType.DATA);
        assertEquals(repo.store().hasher().hash(data), id);
        assertTrue(repo.store().contains(id), "pending chunks count as present");
        repo.store().flush();
        assertTrue(Arrays.equals(data, repo.store().get(id)));
    }
    @Test
    void worksOnABackendWithoutAStagingFolder_andLeavesNoStagedFiles() throws IOException {
        InMemoryBackend memory = new InMemoryBackend();
        var fixture = TestRepositories.on(memory, dir.resolve("cache")).small().init();
        byte[] data = RandomData.mixed(12, 3 << 20);
        List<ChunkRef> refs;
        try (Repository repo = fixture.open()) {
            refs = put(repo.store(), data);
            repo.store().flush();
            assertTrue(memory.list(BlobType.PACK).size() >= 2);
        }
        Path staging = dir.resolve("cache").resolve(fixture.config().idHex()).resolve("staging");
        try (var files = java.nio.file.Files.list(staging)) {
            assertEquals(List.of(), files.toList(), "the backend took every staged pack");
        }
        try (Repository repo = fixture.open()) {
            assertArrayEquals(data, reassemble(repo.store(), refs));
        }
    }

    @Test
    void getUncached_takesACachedChunkFromTheCache_butAddsNone() throws IOException {
        FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend());
        var fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        try (Repository repo = fixture.open()) {
            ChunkStore store = repo.store();
            byte[] kept = RandomData.bytes(21, 50_000);
            byte[] passing = RandomData.bytes(22, 50_000);
            ChunkId keptId = store.put(kept, PackType.DATA);
            ChunkId passingId = store.put(passing, PackType.DATA);
            store.flush();
            assertArrayEquals(kept, store.get(keptId));
            long reads = backend.calls(Operation.READ);

            assertArrayEquals(kept, store.getUncached(keptId));
            assertEquals(reads, backend.calls(Operation.READ), "a cached chunk comes from the cache");
            assertArrayEquals(passing, store.getUncached(passingId));
            assertArrayEquals(passing, store.getUncached(passingId));
            assertEquals(reads + 2, backend.calls(Operation.READ), "an uncached read keeps nothing");
            assertArrayEquals(passing, store.get(passingId));
            assertArrayEquals(passing, store.get(passingId));
            assertEquals(reads + 3, backend.calls(Operation.READ), "get keeps what it read");
        }
    }

    @Test
    void corruptedRead_failsNamingThePack_andIsNotCached() throws IOException {
        FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend());
        var fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        try (Repository repo = fixture.open()) {
            byte[] data = RandomData.bytes(13, 100_000);
            ChunkId id = repo.store().put(data, PackType.DATA);
            repo.store().flush();
            ChunkLocation at = repo.index().lookup(id).orElseThrow();
            backend.corruptReads(PackReader.blobName(at.pack()), at.entry().offset() + 100);

            CorruptDataException e = assertThrows(CorruptDataException.class, () -> repo.store().get(id));
            assertTrue(e.getMessage().contains(at.pack().toString()), e.getMessage());
            assertThrows(CorruptDataException.class, () -> repo.store().get(id), "a damaged read is not remembered as good");

            backend.heal();
            assertArrayEquals(data, repo.store().get(id));
        }
    }

    @Test
    void failedRead_isReported_andTheNextReadWorks() throws IOException {
        FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend());
        var fixture = TestRepositories.on(backend, dir.resolve("cache")).small().init();
        try (Repository repo = fixture.open()) {
            byte[] data = RandomData.text(14, 50_000);
            // A data chunk: a tree packed by this process is read from the cache folder (TreePackCacheTest).
            ChunkId id = repo.store().put(data, PackType.DATA);
            repo.store().flush();
            backend.failCall(Operation.READ, 1);

            assertThrows(FaultInjectingBackend.InjectedFault.class, () -> repo.store().get(id));
            assertArrayEquals(data, repo.store().get(id));
        }
    }
}
