package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The other process of {@link LmdbGcPressureTest}: several threads add packs to one index and look
 * every chunk up again, while another thread forces collections, in a JVM with a tiny heap. A
 * binding that lets the collector free a key or value while LMDB still reads it crashes this process
 * or makes a lookup come back wrong. Workers stop at their entry count or when the time is up,
 * whichever comes first, so a loaded machine runs the test as long, not longer. Prints
 * {@code OK <entries>} and exits 0 when every entry read back; exits 1 naming the first wrong entry.
 *
 * <p>Arguments: folder, threads, entries per thread, seconds.
 */
public final class LmdbGcStressMain {
    private static final int ENTRIES_PER_PACK = 64;
    /** docs/format.md: a pack header is 48 bytes, an envelope adds 28 to its payload. */
    private static final int PACK_HEADER = 48;
    private static final int ENVELOPE_OVERHEAD = 28;

    private LmdbGcStressMain() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (running.get()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "forced-gc");
        collector.setDaemon(true);
        collector.start();
        try (LmdbIndex index = LmdbIndex.open(folder, new byte[32])) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Object>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                results.add(pool.submit(() -> addAndLookUp(index, worker, perThread, deadline)));
            }
            long entries = 0;
            for (Future<Object> result : results) {
                Object r = result.get();
                if (r instanceof String failure) {
                    System.out.println("WRONG " + failure);
                    System.exit(1);
                }
                entries += (Integer) r;
            }
            pool.shutdown();
            System.out.println("OK " + entries);
        } finally {
            running.set(false);
        }
    }

    /**
     * Adds this worker's packs, re-reading each pack's entries right after; returns a failure, or how
     * many entries it added and read back.
     */
    private static Object addAndLookUp(LmdbIndex index, int worker, int entries, long deadline) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int first = 0;
        for (; first < entries && System.nanoTime() < deadline; first += ENTRIES_PER_PACK) {
            PackId pack = PackId.random();
            List<PackEntry> packEntries = new ArrayList<>(ENTRIES_PER_PACK);
            for (int i = first; i < Math.min(entries, first + ENTRIES_PER_PACK); i++) {
                packEntries.add(entry(sha, worker, i, i - first));
            }
            index.addPack(pack, PackType.DATA, 1 << 20, packEntries);
            for (PackEntry expected : packEntries) {
                Optional<ChunkLocation> found = index.lookup(expected.id());
                if (found.isEmpty() || !found.get().pack().equals(pack) || !found.get().entry().equals(expected)) {
                    return "worker " + worker + " chunk " + expected.id().shortString() + ": " + found;
                }
            }
        }
        return Math.min(first, entries);
    }

    private static PackEntry entry(MessageDigest sha, int worker, int i, int slot) {
        byte[] id = sha.digest(ByteBuffer.allocate(8).putInt(worker).putInt(i).array());
        int length = ENVELOPE_OVERHEAD + 100 + (i % 900);
        return new PackEntry(ChunkId.of(id), PACK_HEADER + (long) slot * 2000, length,
                length - ENVELOPE_OVERHEAD, CompressionCode.NONE);
    }
}
