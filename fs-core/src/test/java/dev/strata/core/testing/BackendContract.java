package dev.strata.core.testing;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Backend} must do, whatever it stores blobs in. A backend test extends this class
 * and says how to make a backend over empty storage and how to plant a stray object in it.
 */
public abstract class BackendContract {
    @TempDir
    protected Path scratch;

    protected Backend backend;
    private final SplittableRandom random = new SplittableRandom(20261126);

    /** A backend over empty storage, not yet {@linkplain Backend#create() created}. */
    protected abstract Backend newBackend() throws IOException;

    /**
     * Writes {@code data} at {@code path} (relative, '/'-separated) in the backend's storage, bypassing
     * the backend, as another program or a person could.
     */
    protected abstract void putForeignObject(String path, byte[] data) throws IOException;

    @BeforeEach
    void createBackend() throws IOException {
        backend = newBackend();
        backend.create();
    }

    @AfterEach
    void closeBackend() throws IOException {
        if (backend != null) {
            backend.close();
        }
    }

    protected BlobName randomName(BlobType type) {
        byte[] b = new byte[type.hexNameLength() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return BlobName.of(type, Hex.encode(b));
    }

    protected byte[] randomBytes(int n) {
        return RandomData.bytes(random.nextLong(), n);
    }

    @Test
    void put_thenGet_returnsTheSameBytes() throws IOException {
        BlobName small = randomName(BlobType.KEY);
        BlobName empty = randomName(BlobType.SNAPSHOT);
        BlobName big = randomName(BlobType.PACK);
        byte[] bigData = randomBytes(3 << 20);
        backend.put(small, "hello".getBytes());
        backend.put(empty, new byte[0]);
        backend.put(big, bigData);
        backend.put(BlobName.CONFIG, "{}".getBytes());

        assertArrayEquals("hello".getBytes(), backend.get(small));
        assertArrayEquals(new byte[0], backend.get(empty));
        assertArrayEquals(bigData, backend.get(big));
        assertArrayEquals("{}".getBytes(), backend.get(BlobName.CONFIG));
    }

    @Test
    void put_keepsNoReferenceToTheCallersArray() throws IOException {
        BlobName name = randomName(BlobType.LOCK);
        byte[] data = {1, 2, 3};
        backend.put(name, data);
        data[0] = 9;
        byte[] got = backend.get(name);
        got[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, backend.get(name));
    }

    @Test
    void put_existingName_replacesTheBlob() throws IOException {
        BlobName name = randomName(BlobType.LOCK);
        backend.put(name, randomBytes(1000));
        byte[] second = randomBytes(10);
        backend.put(name, second);
        assertArrayEquals(second, backend.get(name));
        assertEquals(10, backend.size(name));
        assertEquals(List.of(new BlobInfo(name, 10)), backend.list(BlobType.LOCK));
    }

    @Test
    void read_range_returnsThoseBytes() throws IOException {
        BlobName name = randomName(BlobType.PACK);
        byte[] data = randomBytes(100_000);
        backend.put(name, data);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 48), backend.read(name, 0, 48));
        assertArrayEquals(Arrays.copyOfRange(data, 12_345, 80_000), backend.read(name, 12_345, 80_000 - 12_345));
        assertArrayEquals(Arrays.copyOfRange(data, 99_984, 100_000), backend.read(name, 99_984, 16));
        assertArrayEquals(new byte[0], backend.read(name, 100_000, 0));
    }

    @Test
    void read_pastTheEnd_throwsEofException() throws IOException {
        BlobName name = randomName(BlobType.PACK);
        backend.put(name, randomBytes(1000));
        assertThrows(EOFException.class, () -> backend.read(name, 990, 11));
        assertThrows(EOFException.class, () -> backend.read(name, 1000, 1));
        assertThrows(EOFException.class, () -> backend.read(name, 5000, 10));
    }

    @Test
    void size_andExists_reflectTheBlob() throws IOException {
        BlobName name = randomName(BlobType.SNAPSHOT);
        assertFalse(backend.exists(name));
        backend.put(name, randomBytes(4321));
        assertTrue(backend.exists(name));
        assertEquals(4321, backend.size(name));
        assertFalse(backend.exists(randomName(BlobType.SNAPSHOT)));
    }

    @Test
    void missingBlob_throwsNoSuchFileException() throws IOException {
        BlobName name = randomName(BlobType.PACK);
        assertThrows(NoSuchFileException.class, () -> backend.get(name));
        assertThrows(NoSuchFileException.class, () -> backend.read(name, 0, 1));
        assertThrows(NoSuchFileException.class, () -> backend.size(name));
        assertThrows(NoSuchFileException.class, () -> backend.get(BlobName.CONFIG));
    }

    @Test
    void list_returnsEveryBlobOfTheTypeWithItsSize() throws IOException {
        Map<BlobType, Set<BlobInfo>> expected = new HashMap<>();
        for (BlobType type : List.of(BlobType.KEY, BlobType.PACK, BlobType.SNAPSHOT, BlobType.LOCK)) {
            for (int i = 0; i < 20; i++) {
                BlobName name = randomName(type);
                int size = random.nextInt(300);
                backend.put(name, randomBytes(size));
                expected.computeIfAbsent(type, t -> new java.util.HashSet<>()).add(new BlobInfo(name, size));
            }
        }
        assertEquals(List.of(), backend.list(BlobType.CONFIG));
        backend.put(BlobName.CONFIG, new byte[7]);

        for (BlobType type : expected.keySet()) {
            List<BlobInfo> listed = backend.list(type);
            assertEquals(expected.get(type), Set.copyOf(listed), "listing of " + type);
            assertEquals(listed.size(), Set.copyOf(listed).size(), "no blob listed twice");
        }
        assertEquals(List.of(new BlobInfo(BlobName.CONFIG, 7)), backend.list(BlobType.CONFIG));
    }

    @Test
    void list_ofEmptyStorage_isEmpty() throws IOException {
        for (BlobType type : BlobType.values()) {
            assertEquals(List.of(), backend.list(type), type.toString());
        }
    }

    @Test
    void list_ignoresObjectsThatAreNotBlobsOfTheType() throws IOException {
        BlobName pack = randomName(BlobType.PACK);
        BlobName key = randomName(BlobType.KEY);
        backend.put(pack, new byte[3]);
        backend.put(key, new byte[4]);
        String keyHex = key.name();
        String packHex = randomName(BlobType.PACK).name();
        putForeignObject("keys/notes.txt", new byte[1]);
        putForeignObject("keys/0123456789ABCDEF0123456789ABCDEF", new byte[1]);
        putForeignObject("keys/" + keyHex + ".bak", new byte[1]);
        putForeignObject("keys/" + keyHex.substring(1), new byte[1]);
        putForeignObject("keys/g" + keyHex.substring(1), new byte[1]);
        putForeignObject("locks/" + keyHex + "~", new byte[1]);
        putForeignObject("snapshots/" + packHex.substring(2), new byte[1]);
        putForeignObject("data/" + packHex, new byte[1]);
        putForeignObject("data/" + packHex.substring(0, 2) + "/" + packHex + ".tmp", new byte[1]);
        putForeignObject("data/" + packHex.substring(0, 2) + "/" + packHex.substring(1), new byte[1]);
        putForeignObject("data/" + packHex.substring(0, 2) + "/sub/" + packHex, new byte[1]);
        putForeignObject("Config", new byte[1]);
        putForeignObject("README", new byte[1]);

        assertEquals(List.of(new BlobInfo(pack, 3)), backend.list(BlobType.PACK));
        assertEquals(List.of(new BlobInfo(key, 4)), backend.list(BlobType.KEY));
        assertEquals(List.of(), backend.list(BlobType.LOCK));
        assertEquals(List.of(), backend.list(BlobType.SNAPSHOT));
        assertEquals(List.of(), backend.list(BlobType.CONFIG));
    }

    /** A pack under another folder than its first two digits cannot be read by its name, so it is not listed. */
    @Test
    void list_ignoresPacksInTheWrongFolder() throws IOException {
        String hex = randomName(BlobType.PACK).name();
        String wrongFolder = hex.startsWith("00") ? "01" : "00";
        putForeignObject("data/" + wrongFolder + "/" + hex, new byte[5]);
        putForeignObject("data/zz/" + hex, new byte[5]);
        putForeignObject("data/" + hex.substring(0, 2) + "x/" + hex, new byte[5]);
        assertEquals(List.of(), backend.list(BlobType.PACK));
        assertFalse(backend.exists(BlobName.of(BlobType.PACK, hex)));
    }

    @Test
    void delete_removesTheBlob_andIsIdempotent() throws IOException {
        BlobName name = randomName(BlobType.LOCK);
        BlobName other = randomName(BlobType.LOCK);
        backend.put(name, new byte[10]);
        backend.put(other, new byte[11]);
        backend.delete(name);
        assertFalse(backend.exists(name));
        assertThrows(NoSuchFileException.class, () -> backend.get(name));
        assertEquals(List.of(new BlobInfo(other, 11)), backend.list(BlobType.LOCK));
        backend.delete(name);
        backend.delete(randomName(BlobType.PACK));
        assertTrue(backend.exists(other));
    }

    @Test
    void putFile_storesTheFile_andTakesOwnershipOfIt() throws IOException {
        Path dir = backend.stagingDirectory().orElse(scratch);
        Files.createDirectories(dir);
        Path file = dir.resolve("pack-staged.tmp");
        byte[] data = randomBytes(2 << 20);
        Files.write(file, data);
        BlobName name = randomName(BlobType.PACK);

        backend.putFile(name, file);

        assertArrayEquals(data, backend.get(name));
        assertEquals(List.of(new BlobInfo(name, data.length)), backend.list(BlobType.PACK));
        // Nothing else would ever remove it: callers hand staged packs over and forget them.
        assertFalse(Files.exists(file), "the backend disposes of the file it took");
    }

    @Test
    void putFile_fromAnotherFolder_works() throws IOException {
        Path file = Files.createTempFile(scratch, "elsewhere", ".bin");
        byte[] data = randomBytes(5000);
        Files.write(file, data);
        BlobName name = randomName(BlobType.SNAPSHOT);
        backend.put(name, new byte[1]);

        backend.putFile(name, file);

        assertArrayEquals(data, backend.get(name));
        assertFalse(Files.exists(file));
    }

    @Test
    void stagingDirectory_isAbsentOrAFolder() throws IOException {
        backend.stagingDirectory().ifPresent(dir -> assertTrue(Files.isDirectory(dir) || !Files.exists(dir), dir.toString()));
        assertFalse(backend.location().isBlank());
    }

    @Test
    void blobNames_areValidated_soNoNameLeavesItsFolder() {
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.PACK, "../../../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.KEY, "../config"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.KEY, "0123456789ABCDEF0123456789abcdef"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.LOCK, "0123456789abcdef0123456789abcde"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.LOCK, "0123456789abcdef0123456789abcdef0"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.CONFIG, "keys"));
        assertThrows(IllegalArgumentException.class, () -> BlobName.of(BlobType.SNAPSHOT, "+" + "0".repeat(63)));
        BlobName pack = BlobName.of(BlobType.PACK, "ab" + "0".repeat(62));
        assertEquals("data/ab/ab" + "0".repeat(62), pack.path());
    }

    @Test
    void create_onStorageThatHoldsBlobs_isRefused() throws IOException {
        backend.put(randomName(BlobType.KEY), new byte[1]);
        UserFacingException e = assertThrows(UserFacingException.class, () -> backend.create());
        assertEquals(ExitCode.ALREADY_EXISTS, e.exitCode());
        assertEquals(1, backend.list(BlobType.KEY).size());
    }

    @Test
    void concurrentPuts_ofDifferentBlobs_allLand() throws Exception {
        int threads = 8;
        int perThread = 15;
        Map<BlobName, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        List<List<BlobName>> names = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<BlobName> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(randomName(BlobType.PACK));
            }
            names.add(mine);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<BlobName> mine = names.get(t);
                long seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    for (BlobName name : mine) {
                        byte[] data = RandomData.bytes(r.nextLong(), r.nextInt(20_000));
                        backend.put(name, data);
                        written.put(name, data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, written.size());
        for (Map.Entry<BlobName, byte[]> e : written.entrySet()) {
            assertArrayEquals(e.getValue(), backend.get(e.getKey()), e.getKey().toString());
        }
        assertEquals(written.keySet(), backend.list(BlobType.PACK).stream().map(BlobInfo::name).collect(Collectors.toSet()));
    }

    /** A reader sees the old blob or the new one, whole, while a writer replaces it. */
    @Test
    void put_isAtomic_forConcurrentReaders() throws Exception {
        BlobName name = randomName(BlobType.LOCK);
        byte[] a = new byte[256 * 1024];
        Arrays.fill(a, (byte) 'a');
        byte[] b = new byte[64 * 1024];
        Arrays.fill(b, (byte) 'b');
        backend.put(name, a);
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = pool.submit(() -> {
                while (!stop.get()) {
                    byte[] got = backend.get(name);
                    if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                        throw new AssertionError("torn read of " + got.length + " bytes");
                    }
                    reads.incrementAndGet();
                }
                return null;
            });
            Future<?> writer = pool.submit(() -> {
                // Keep replacing until the reader has had many chances to see a half-written blob.
                for (int i = 0; i < 100 || reads.get() < 100; i++) {
                    backend.put(name, i % 2 == 0 ? b : a);
                }
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            stop.set(true);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertTrue(reads.get() >= 100);
    }
}
