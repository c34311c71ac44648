package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.StoredChunk;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chunks are read ahead of the sender, in order, and no more of them than the bound holds. */
@Timeout(60)
class ChunkReadAheadTest {
    private static final int CHUNK = 100_000;

    @Test
    void chunksComeInOrder_andReadsAheadStopAtTheBytesBound() throws Exception {
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(ChunkId.of(RandomData.bytes(i, 32)));
        }
        AtomicInteger read = new AtomicInteger();
        long bound = 300_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ChunkReadAhead ahead = new ChunkReadAhead(ids, id -> {
            read.incrementAndGet();
            byte[] d = new byte[CHUNK];
            d[0] = (byte) ids.indexOf(id);
            return StoredChunk.plain(d);
        }, bound, pool)) {
            // At most the bound, plus one chunk per reader started just below it.
            int most = (int) (bound / CHUNK) + ChunkReadAhead.READERS;
            for (int taken = 0; taken < ids.size(); taken++) {
                StoredChunk s = ahead.next();
                assertThat(s.payload()[0]).isEqualTo((byte) taken);
                if (taken % 10 == 0) {
                    Thread.sleep(200); // a slow sender: the readers get ahead as far as they may
                    assertThat(read.get() - (taken + 1)).as("chunks read and not taken").isBetween(1, most);
                    assertThat(ahead.held()).isLessThanOrEqualTo((long) most * CHUNK);
                }
            }
            assertThat(read.get()).isEqualTo(ids.size());
            assertThat(ahead.held()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRead_failsTheChunkAtItsPlace() throws Exception {
        List<ChunkId> ids = List.of(ChunkId.of(RandomData.bytes(1, 32)), ChunkId.of(RandomData.bytes(2, 32)));
        try (ChunkReadAhead ahead = new ChunkReadAhead(ids, id -> {
            if (id.equals(ids.get(1))) {
                throw new IOException("chunk " + id.shortString() + " is damaged");
            }
            return StoredChunk.plain(new byte[10]);
        }, 1 << 20)) {
            assertThat(ahead.next().rawLength()).isEqualTo(10);
            assertThatThrownBy(ahead::next).isInstanceOf(IOException.class).hasMessageContaining("is damaged");
        }
    }
}
