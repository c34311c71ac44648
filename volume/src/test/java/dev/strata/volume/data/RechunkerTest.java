package dev.strata.volume.data;

import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The rechunker over a new file written in one go, with the repository's default chunk sizes. */
class RechunkerTest {
    @TempDir
    Path dir;
    private Repository repo;
    private ChunkStore store;

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir).init().open();
        store = repo.store();
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void aNewFile_isCutAsABackupCutsIt() throws IOException {
        byte[] data = new byte[5 << 20];
        new Random(3).nextBytes(data);
        List<ChunkRef> sealed = rechunkNewFile("big", data);
        assertThat(sealed).hasSizeGreaterThan(1);
        assertThat(sealed).isEqualTo(store.putStream(Channels.newChannel(new java.io.ByteArrayInputStream(data))));
    }

    @Test
    void sealingASmallFile_allocatesAboutItsSize_notTwoMaximumChunks() throws IOException {
        Random random = new Random(4);
        byte[] data = new byte[4096];
        for (int i = 0; i < 20; i++) {
            random.nextBytes(data);
            rechunkNewFile("warm" + i, data);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int files = 50;
        long allocated = 0;
        for (int i = 0; i < files; i++) {
            random.nextBytes(data);
            Written f = writeOverlay("f" + i, data);
            long before = threads.getThreadAllocatedBytes(thread);
            List<ChunkRef> refs = f.rechunk();
            allocated += threads.getThreadAllocatedBytes(thread) - before;
            assertThat(refs).hasSize(1);
        }
        // The maximum chunk is 8 MiB: a reader buffering two of them would allocate 16 MiB per file.
        assertThat(allocated / files).as("bytes allocated to seal a 4 KiB file").isLessThan(1 << 20);
    }

    /**
     * A file larger than a pack, sealed by a store that keeps chunks readable until they are packed (as
     * a volume's does): the plaintext waiting for a pack stays within the bound, give or take the
     * chunk that reached it, instead of growing to the packs' worth being filled and stored, and the
     * content reads back whole.
     */
    @Test
    @Timeout(180)
    void sealingALargeFile_keepsThePlaintextWaitingForAPackBounded() throws Exception {
        store.keepPendingReadable();
        int mib = 48;
        FileChannel overlay = FileChannel.open(dir.resolve("large"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        Random random = new Random(5);
        byte[] piece = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(piece);
            overlay.write(ByteBuffer.wrap(piece), (long) i << 20);
        }
        long size = (long) mib << 20;
        TreeMap<Long, Long> extents = new TreeMap<>();
        extents.put(0L, size);

        AtomicLong most = new AtomicLong();
        AtomicBoolean sealing = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (sealing.get()) {
                most.accumulateAndGet(store.pendingReadableBytes(), Math::max);
                LockSupport.parkNanos(100_000);
            }
        });
        watcher.start();
        List<ChunkRef> refs;
        try {
            refs = new Written(new BaseReader(store, List.of()), extents, size, overlay).rechunk();
        } finally {
            sealing.set(false);
            watcher.join();
        }

        long chunkMax = store.chunker().params().maxSize();
        assertThat(most.get()).as("plaintext waiting for a pack, at most")
                .isLessThan(Rechunker.MAX_PENDING_PLAIN + chunkMax);
        random = new Random(5);
        byte[] expected = new byte[(int) size];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(piece);
            System.arraycopy(piece, 0, expected, i << 20, piece.length);
        }
        int at = 0;
        for (ChunkRef r : refs) {
            byte[] plain = store.get(r.id());
            assertThat(Arrays.equals(plain, 0, plain.length, expected, at, at + plain.length)).as("chunk at " + at).isTrue();
            at += plain.length;
        }
        assertThat(at).isEqualTo(size);
    }

    private List<ChunkRef> rechunkNewFile(String name, byte[] data) throws IOException {
        return writeOverlay(name, data).rechunk();
    }

    /** A file that had no content, with {@code data} written at offset 0 into its overlay. */
    private Written writeOverlay(String name, byte[] data) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ch.write(ByteBuffer.wrap(data), 0);
        TreeMap<Long, Long> extents = new TreeMap<>();
        extents.put(0L, (long) data.length);
        return new Written(new BaseReader(store, List.of()), extents, data.length, ch);
    }

    private final class Written {
        private final BaseReader base;
        private final TreeMap<Long, Long> extents;
        private final long size;
        private final FileChannel overlay;

        Written(BaseReader base, TreeMap<Long, Long> extents, long size, FileChannel overlay) {
            this.base = base;
            this.extents = extents;
            this.size = size;
            this.overlay = overlay;
        }

        List<ChunkRef> rechunk() throws IOException {
            try (overlay) {
                FileImage image = new FileImage(base, 0, extents, size, FileImage.Overlay.of(overlay));
                return new Rechunker(store).rechunk(base, 0, extents, size, image);
            }
        }
    }
}
