package dev.strata.core.crypto;

import dev.strata.core.id.ChunkId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ChunkIdHasherTest {

    @Property(tries = 50)
    void prefixIds_equalTheIdsOfThePrefixes(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int length) {
        byte[] data = CryptoTestData.bytes(seed, length);
        ChunkIdHasher hasher = CryptoTestData.masterKey(seed).chunkIdHasher();
        ChunkIdHasher.Prefix prefix = hasher.prefix();
        for (int n = 0; n <= length; n++) {
            assertEquals(hasher.hash(data, 0, n), prefix.id(), "prefix of " + n);
            if (n < length) {
                prefix.update(data, n, 1);
            }
        }
        assertEquals(length, prefix.length());
    }

    @Property(tries = 100)
    void hash_isDeterministic(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100_000) int length) {
        byte[] data = CryptoTestData.bytes(seed, length);
        ChunkId a = CryptoTestData.masterKey(7).chunkIdHasher().hash(data);
        ChunkId b = CryptoTestData.masterKey(7).chunkIdHasher().hash(data.clone());
        assertEquals(a, b);
        assertEquals(a, CryptoTestData.masterKey(7).chunkIdHasher().hash(data));
    }

    @Property(tries = 100)
    void hash_isKeyed_anotherMasterKeyGivesAnotherId(@ForAll long seed,
                                                     @ForAll @IntRange(min = 0, max = 10_000) int length) {
        byte[] data = CryptoTestData.bytes(seed, length);
        assertNotEquals(CryptoTestData.masterKey(seed).chunkIdHasher().hash(data),
                CryptoTestData.masterKey(seed + 1).chunkIdHasher().hash(data));
    }

    @Test
    void hash_isHmacSha256UnderItsKey() throws Exception {
        byte[] key = CryptoTestData.bytes(1, 32);
        ChunkIdHasher hasher = new ChunkIdHasher(new SecretKeySpec(key, "HmacSHA256"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (int length : new int[] {0, 1, 63, 64, 65, 100_000}) {
            byte[] data = CryptoTestData.bytes(length, length);
            assertArrayEquals(mac.doFinal(data), hasher.hash(data).bytes(), length + " bytes");
        }
    }

    @Test
    void hash_ofASlice_equalsTheHashOfItsCopy() {
        ChunkIdHasher hasher = CryptoTestData.masterKey(2).chunkIdHasher();
        byte[] buffer = CryptoTestData.bytes(2, 5000);
        assertEquals(hasher.hash(Arrays.copyOfRange(buffer, 123, 4567)), hasher.hash(buffer, 123, 4567 - 123));
        // The previous call must not leave state behind in the thread's Mac.
        assertEquals(hasher.hash(buffer), hasher.hash(buffer));
    }

    @Test
    void hash_differentData_givesDifferentIds() {
        ChunkIdHasher hasher = CryptoTestData.masterKey(3).chunkIdHasher();
        byte[] a = CryptoTestData.bytes(3, 1000);
        byte[] b = a.clone();
        b[999] ^= 1;
        assertNotEquals(hasher.hash(a), hasher.hash(b));
        assertNotEquals(hasher.hash(a), hasher.hash(a, 0, 999));
    }

    @Test
    void hash_fromManyThreads_givesTheSameIds() throws Exception {
        ChunkIdHasher hasher = CryptoTestData.masterKey(4).chunkIdHasher();
        List<byte[]> inputs = new ArrayList<>();
        List<ChunkId> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inputs.add(CryptoTestData.bytes(i, 1000 * i));
            expected.add(hasher.hash(inputs.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                jobs.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < inputs.size(); i++) {
                            assertEquals(expected.get(i), hasher.hash(inputs.get(i)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
