package dev.strata.volume.data;

import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.view.ReadSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Reads of a file with unsealed changes against a model of its bytes, over a real store. */
class FileImageTest {
    private static final int BASE_SIZE = 3 << 20;

    @TempDir
    Path dir;
    private Repository repo;
    private byte[] baseBytes;
    private BaseReader base;

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        baseBytes = new byte[BASE_SIZE];
        new Random(5).nextBytes(baseBytes);
        // A megabyte of zeros in the middle: stored as holes.
        Arrays.fill(baseBytes, 1 << 20, 2 << 20, (byte) 0);
        List<ChunkRef> refs = repo.store().putStream(Channels.newChannel(new ByteArrayInputStream(baseBytes)));
        repo.store().flush();
        assertThat(refs).anyMatch(ChunkRef::isHole);
        base = new BaseReader(repo.store(), refs);
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void read_givesTheOverlayInsideWrittenRanges_theBaseBelowItsValidLength_andZerosElsewhere() throws IOException {
        long baseValid = BASE_SIZE - 300_000;   // truncated down, then
        int size = BASE_SIZE + 200_000;          // extended past the old end
        byte[] model = new byte[size];
        System.arraycopy(baseBytes, 0, model, 0, (int) baseValid);
        TreeMap<Long, Long> extents = new TreeMap<>();
        Random random = new Random(6);
        try (FileChannel overlay = FileChannel.open(dir.resolve("overlay"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long start : new long[]{10, 500_000, 1_500_000, 2_900_000, BASE_SIZE + 100_000}) {
                byte[] b = new byte[1 + random.nextInt(70_000)];
                random.nextBytes(b);
                overlay.write(ByteBuffer.wrap(b), start);
                System.arraycopy(b, 0, model, (int) start, b.length);
                extents.put(start, start + b.length);
            }
            FileImage image = new FileImage(base, baseValid, extents, size, FileImage.Overlay.of(overlay));
            for (int i = 0; i < 400; i++) {
                long offset = random.nextInt(size + 1000);
                int length = 1 + random.nextInt(i % 2 == 0 ? 4096 : 300_000);
                byte[] got = new byte[length];
                Arrays.fill(got, (byte) 0x5a);
                int n = image.read(offset, length, sink(got));
                int want = (int) Math.max(0, Math.min(length, size - offset));
                assertThat(n).as("bytes at %d+%d", offset, length).isEqualTo(want);
                assertThat(Arrays.copyOf(got, n)).as("bytes at %d+%d", offset, length)
                        .isEqualTo(Arrays.copyOfRange(model, (int) Math.min(offset, size), (int) Math.min(offset, size) + n));
            }
        }
    }

    @Test
    void readingTheBase_allocatesLessThanItReads() throws IOException {
        FileImage image = new FileImage(base, BASE_SIZE, new TreeMap<>(), BASE_SIZE, null);
        byte[] into = new byte[128 << 10];
        for (long at = 0; at + into.length <= BASE_SIZE; at += into.length) {
            image.read(at, into.length, sink(into));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // Inside the first chunk (chunks are at least 16 KiB), which the reader keeps decoded.
        int reads = 100;
        image.read(4096, 8192, sink(into));
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < reads; i++) {
            image.read(4096, 8192, sink(into));
        }
        long perRead = (threads.getThreadAllocatedBytes(thread) - before) / reads;
        assertThat(perRead).as("bytes allocated per 8 KiB read").isLessThan(2048);
    }

    private static ReadSink sink(byte[] into) {
        return new ReadSink() {
            @Override
            public void put(int at, byte[] src, int srcOffset, int length) {
                System.arraycopy(src, srcOffset, into, at, length);
            }

            @Override
            public void zero(int at, int length) {
                Arrays.fill(into, at, at + length, (byte) 0);
            }
        };
    }
}
