package dev.strata.core.index;

import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.PageCache;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LmdbEnvironmentTest {
    private static final long TINY_MAP = 64 * 1024;

    @TempDir
    Path dir;

    static byte[] key(String prefix, int i) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(p.length + 4).put(p).putInt(i).array();
    }

    private static byte[] value(int i) {
        return RandomData.bytes(i, 1000 + i % 100);
    }

    @Test
    void write_growsTheMapWhenItIsFull() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir.resolve("env"), TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            assertEquals(TINY_MAP, lmdb.mapSize());
            // Many small transactions, then one big one that alone needs several doublings.
            for (int i = 0; i < 2048; i += 32) {
                int from = i;
                lmdb.write(txn -> {
                    for (int j = from; j < from + 32; j++) {
                        t.put(txn, key("k", j), value(j));
                    }
                });
            }
            lmdb.write(txn -> {
                for (int j = 2048; j < 4096; j++) {
                    t.put(txn, key("k", j), value(j));
                }
            });

            assertTrue(lmdb.mapSize() >= 4L << 20, "map grew to " + lmdb.mapSize());
            lmdb.read(txn -> {
                for (int j = 0; j < 4096; j++) {
                    assertArrayEquals(value(j), t.get(txn, key("k", j)), "value " + j);
                }
                return null;
            });
        }
    }

    @Test
    void data_survivesReopen_andTheReopenedMapGrowsAgain() throws Exception {
        Path folder = dir.resolve("env");
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder, TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            writeValues(lmdb, t, 0, 3000);
        }
        // LMDB opens with the larger of the requested size and the space in use, not the old map size.
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder, TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            long reopened = lmdb.mapSize();
            assertTrue(reopened >= 3000 * 1000, "the map holds the data: " + reopened);
            writeValues(lmdb, t, 3000, 6000);
            assertTrue(lmdb.mapSize() > reopened, "grew again from " + reopened + " to " + lmdb.mapSize());
            lmdb.read(txn -> {
                for (int j = 0; j < 6000; j++) {
                    assertArrayEquals(value(j), t.get(txn, key("k", j)), "value " + j);
                }
                return null;
            });
        }
    }

    private static void writeValues(LmdbEnvironment lmdb, Dbi<byte[]> t, int from, int to) {
        for (int i = from; i < to; i += 100) {
            int start = i;
            lmdb.write(txn -> {
                for (int j = start; j < Math.min(to, start + 100); j++) {
                    t.put(txn, key("k", j), value(j));
                }
            });
        }
    }

    @Test
    void lookupsInAColdIndex_bringOnlyThePagesTheyRead() throws Exception {
        assumeTrue(PageCache.measurable(), "needs Linux's /proc");
        Path folder = dir.resolve("env");
        int entries = 64 * 1024; // about 80 MB of pages
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            for (int i = 0; i < entries; i += 8192) {
                int from = i;
                lmdb.write(txn -> {
                    for (int j = from; j < from + 8192; j++) {
                        t.put(txn, key("k", j), value(j));
                    }
                });
            }
        }
        Path data = folder.resolve("data.mdb");
        PageCache.drop(data);

        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            Random random = new Random(7);
            int lookups = 64;
            lmdb.read(txn -> {
                for (int i = 0; i < lookups; i++) {
                    int j = random.nextInt(entries);
                    assertArrayEquals(value(j), t.get(txn, key("k", j)));
                }
                return null;
            });
            // A lookup reads a root-to-leaf path of 3-4 pages, shared near the root: about 1 MB at most.
            // With the kernel's read-ahead each cold page would bring its whole window with it.
            long residentKiB = PageCache.residentKiB(data);
            assertTrue(residentKiB <= 2048, lookups + " lookups left " + residentKiB + " KiB of the data file resident");
        }
    }

    @Test
    void write_thatFails_commitsNothing() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir.resolve("env"), TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            try {
                lmdb.write(txn -> {
                    t.put(txn, key("k", 1), value(1));
                    throw new IllegalStateException("caller fails mid-transaction");
                });
            } catch (IllegalStateException expected) {
                // the transaction is aborted
            }
            assertNull(lmdb.read(txn -> t.get(txn, key("k", 1))));
        }
    }

    @Test
    void close_isIdempotent() throws Exception {
        LmdbEnvironment lmdb = LmdbEnvironment.open(dir.resolve("env"), TINY_MAP);
        lmdb.close();
        lmdb.close();
    }

    /**
     * Two processes on one folder. A second process, not a second environment in this JVM: LMDB
     * forbids opening one environment twice in a process (its POSIX locks are per process, so the
     * second open would reset the lock table under the first).
     */
    @Test
    void twoProcesses_seeEachOthersCommits_andAMapGrownByTheOtherIsAdopted() throws Exception {
        Path folder = dir.resolve("env");
        int count = 3000;
        int size = 1500;
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder, TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            lmdb.write(txn -> t.put(txn, key("parent", 0), "hello from the parent".getBytes(StandardCharsets.UTF_8)));

            List<String> lines;
            try (ChildJvm child = ChildJvm.start(LmdbPeerMain.class, dir, folder.toString(),
                    Integer.toString(count), Integer.toString(size))) {
                int exit = child.waitFor(Duration.ofSeconds(60));
                lines = child.allLines(Duration.ofSeconds(10));
                assertEquals(0, exit, "child failed: " + child.stderr());
            }

            assertEquals("SAW hello from the parent", lines.get(0));
            long childMap = Long.parseLong(lines.get(1).substring("DONE ".length()));
            assertTrue(childMap >= (long) count * size, "the child grew the map, to " + childMap);
            assertEquals(TINY_MAP, lmdb.mapSize(), "this process has not touched the map yet");

            lmdb.read(txn -> {
                for (int j = 0; j < count; j++) {
                    assertArrayEquals(LmdbPeerMain.value(j, size), t.get(txn, key("child", j)), "child's value " + j);
                }
                return null;
            });
            assertTrue(lmdb.mapSize() >= childMap, "adopted the child's map size, have " + lmdb.mapSize());
            lmdb.write(txn -> t.put(txn, key("parent", 1), value(1)));
            assertArrayEquals(value(1), lmdb.read(txn -> t.get(txn, key("parent", 1))));
        }
    }

    /**
     * A transaction begun inside another (a walk that looks something up as it goes) after a second
     * process grew the map: the size cannot be adopted while the outer transaction is open, and the
     * inner one used to wait for the outer one to end, forever. It fails at once with a clear error,
     * and the environment adopts the new size once the walk is over.
     */
    @Test
    void transactionInsideATransaction_afterAnotherProcessGrewTheMap_failsInsteadOfWaitingForItself() throws Exception {
        Path folder = dir.resolve("env");
        int count = 3000;
        int size = 1500;
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(folder, TINY_MAP)) {
            Dbi<byte[]> t = lmdb.table("t", false);
            lmdb.write(txn -> t.put(txn, key("parent", 0), value(0)));
            String failure = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(90), () ->
                    lmdb.read(outer -> {
                        try (ChildJvm child = ChildJvm.start(LmdbPeerMain.class, dir, folder.toString(),
                                Integer.toString(count), Integer.toString(size))) {
                            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), "child failed: " + child.stderr());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        try {
                            lmdb.read(inner -> t.get(inner, key("child", 0)));
                            return "no failure";
                        } catch (IllegalStateException expected) {
                            return expected.getMessage();
                        }
                    }));
            assertTrue(failure.contains("was grown by another process while this thread holds a transaction open"), failure);
            assertArrayEquals(LmdbPeerMain.value(count - 1, size), lmdb.read(txn -> t.get(txn, key("child", count - 1))));
            assertTrue(lmdb.mapSize() > TINY_MAP, "adopted the child's map size, have " + lmdb.mapSize());
        }
    }
}
