package dev.strata.sync.chunks;

import dev.strata.core.id.ChunkId;
import dev.strata.core.testing.RandomData;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.wire.ChunkMessages;
import dev.strata.sync.wire.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sender keeps several batches in flight: the next batch travels while the peer still stores the one
 * before, within bounds of batches and bytes, and what follows a batch runs only once it is stored, in order.
 */
@Timeout(120)
class OfferWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final SharedKeys keys = SharedKeys.generate(SpaceId.of(RandomData.bytes(21, 16)));

    @Test
    void theNextBatch_travelsAndIsStored_whileThePeerHoldsTheAnswerToTheOneBefore() throws Exception {
        MapChunks atSender = new MapChunks();
        HeldReceiver atReceiver = new HeldReceiver();
        // One more id than a question may ask about: two batches, each with one chunk the receiver lacks.
        List<ChunkId> ids = new ArrayList<>();
        byte[] filler = new byte[1];
        for (int i = 0; i < ChunkMessages.MAX_IDS + 1; i++) {
            if (i == 0 || i == ChunkMessages.MAX_IDS) {
                byte[] d = RandomData.bytes(100 + i, 30_000);
                ids.add(atSender.put(keys.hasher().hash(d), d));
            } else {
                ids.add(atReceiver.put(ChunkId.of(RandomData.bytes(i, 32)), filler));
            }
        }
        try (ConnectedPair p = connect(keys, atReceiver)) {
            CompletableFuture<ChunkSender.Report> transfer = CompletableFuture.supplyAsync(() -> {
                try {
                    return new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), ids);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                assertThat(atReceiver.held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                // The first batch's answer waits on its flush; the second batch is asked about and stored meanwhile.
                assertThat(atReceiver.awaitStored(ids.get(ChunkMessages.MAX_IDS), Duration.ofSeconds(10)))
                        .as("the second batch's chunk stored while the first batch's answer is held").isTrue();
                assertThat(atReceiver.questions.get()).isEqualTo(2);
            } finally {
                atReceiver.release.countDown();
            }
            ChunkSender.Report r = transfer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(r).isEqualTo(new ChunkSender.Report(ids.size(), 2, 2, 60_000, 2, List.of()));
        }
    }

    @Test
    void chunksSentAndNotStored_stayWithinTheBytesBound_untilThePeerStoresTheBatchBefore() throws Exception {
        MapChunks atSender = new MapChunks();
        HeldReceiver atReceiver = new HeldReceiver();
        List<ChunkId> first = chunks(atSender, 0, 2);
        List<ChunkId> second = chunks(atSender, 2, 8);
        long bound = 200_000;
        List<ChunkSender.Report> reports = new CopyOnWriteArrayList<>();
        try (ConnectedPair p = connect(keys, atReceiver);
             OfferWindow w = new OfferWindow(p.connection(), WAIT, 4, bound, 1 << 20)) {
            ChunkSpace space = ChunkSpace.of(keys, atSender, atSender);
            PeerConnection atReceiverSide = p.receiver().network.connections().connection(p.sender().id()).orElseThrow();
            long before = atReceiverSide.bytesReceived();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    w.offer(space, first, reports::add);
                    w.offer(space, second, reports::add);
                    w.drain();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long read;
            try {
                assertThat(atReceiver.held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                Thread.sleep(1500);
                read = atReceiverSide.bytesReceived() - before;
                assertThat(reports).as("nothing follows a batch before the peer stored it").isEmpty();
            } finally {
                atReceiver.release.countDown();
            }
            // 500 kB offered while the first batch's 100 kB were not stored: the second batch sent until the
            // bound was reached (its questions and frame headers are a few hundred bytes), then waited.
            assertThat(read).as("bytes sent while the first batch was not stored").isBetween(bound, bound + 2_000);
            sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reports).extracting(ChunkSender.Report::stored).containsExactly(2, 8);
            assertThat(atReceiver.chunks.keySet()).containsAll(first).containsAll(second);
        }
    }

    @Test
    void atMostTheWindowsBatches_areInFlight() throws Exception {
        MapChunks atSender = new MapChunks();
        HeldReceiver atReceiver = new HeldReceiver();
        try (ConnectedPair p = connect(keys, atReceiver);
             OfferWindow w = new OfferWindow(p.connection(), WAIT, 2, 1 << 20, 1 << 20)) {
            ChunkSpace space = ChunkSpace.of(keys, atSender, atSender);
            List<Integer> order = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        w.offer(space, chunks(atSender, 10 * i, 1), r -> order.add(n));
                    }
                    w.drain();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                assertThat(atReceiver.held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                Thread.sleep(1000);
                assertThat(atReceiver.questions.get()).as("batches asked about while the first is not stored").isEqualTo(2);
            } finally {
                atReceiver.release.countDown();
            }
            sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(atReceiver.questions.get()).isEqualTo(3);
            assertThat(order).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aChunkAnEarlierBatchStillSends_isNotSentAgain() throws Exception {
        MapChunks atSender = new MapChunks();
        HeldReceiver atReceiver = new HeldReceiver(true);
        List<ChunkId> shared = chunks(atSender, 0, 1);
        List<ChunkSender.Report> reports = new CopyOnWriteArrayList<>();
        try (ConnectedPair p = connect(keys, atReceiver);
             OfferWindow w = new OfferWindow(p.connection(), WAIT, 4, 1 << 20, 1 << 20)) {
            ChunkSpace space = ChunkSpace.of(keys, atSender, atSender);
            List<ChunkId> second = new ArrayList<>(shared);
            second.addAll(chunks(atSender, 1, 1));
            try {
                w.offer(space, shared, reports::add);
                assertThat(atReceiver.held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                w.offer(space, second, reports::add); // asked while the first is being stored: both chunks are lacking
            } finally {
                atReceiver.release.countDown();
            }
            w.drain();
            assertThat(reports).containsExactly(new ChunkSender.Report(1, 1, 1, 50_000, 1, List.of()),
                    new ChunkSender.Report(2, 2, 1, 50_000, 1, List.of()));
            assertThat(atReceiver.chunks.keySet()).containsAll(second);
        }
    }

    @Test
    void afterABatchFails_nothingThatFollowsLaterBatchesRuns_andTheConnectionStays() throws Exception {
        MapChunks atSender = new MapChunks();
        List<ChunkId> first = chunks(atSender, 0, 1);
        List<ChunkId> second = chunks(atSender, 1, 1);
        MapChunks atReceiver = new MapChunks() {
            @Override
            public void store(ChunkId id, byte[] data) {
                if (id.equals(first.get(0))) {
                    throw new UncheckedIOException(new IOException("disk full"));
                }
                super.store(id, data);
            }
        };
        List<ChunkSender.Report> reports = new CopyOnWriteArrayList<>();
        try (ConnectedPair p = connect(keys, atReceiver);
             OfferWindow w = new OfferWindow(p.connection(), WAIT, 4, 1 << 20, 1 << 20)) {
            ChunkSpace space = ChunkSpace.of(keys, atSender, atSender);
            w.offer(space, first, reports::add);
            try {
                w.offer(space, second, reports::add);
            } catch (IOException e) {
                // the first batch failed already: the window refuses more
            }
            assertThatThrownBy(w::drain).hasMessageContaining("could not take the chunks");
            assertThat(reports).isEmpty();
            assertThatThrownBy(() -> w.offer(space, second, reports::add)).hasMessageContaining("could not take the chunks");
            assertThat(p.connection().isOpen()).isTrue();
            assertThat(new ChunkSender(WAIT).offer(p.connection(), space, second).stored()).isLessThanOrEqualTo(1);
        }
    }

    /** {@code count} chunks of 50 000 random bytes, seeded from {@code from}, held by {@code at}. */
    private List<ChunkId> chunks(MapChunks at, int from, int count) {
        List<ChunkId> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            byte[] d = RandomData.bytes(1000 + i, 50_000);
            ids.add(at.put(keys.hasher().hash(d), d));
        }
        return ids;
    }

    /**
     * A receiver's store whose first flush (so the first batch's answer) waits until released; or, made
     * with {@code holdStore}, whose first store (so the first chunk, lacking until then) does.
     */
    private static class HeldReceiver extends MapChunks {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger questions = new AtomicInteger();
        private final boolean holdStore;
        private final AtomicInteger flushes = new AtomicInteger();
        private final AtomicInteger stores = new AtomicInteger();

        HeldReceiver() {
            this(false);
        }

        HeldReceiver(boolean holdStore) {
            this.holdStore = holdStore;
        }

        @Override
        public BitSet lacking(List<ChunkId> ids) {
            questions.incrementAndGet();
            return super.lacking(ids);
        }

        @Override
        public void store(ChunkId id, byte[] data) {
            if (holdStore && stores.incrementAndGet() == 1) {
                hold();
            }
            super.store(id, data);
        }

        @Override
        public void flush() {
            if (!holdStore && flushes.incrementAndGet() == 1) {
                hold();
            }
        }

        private void hold() {
            held.countDown();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean awaitStored(ChunkId id, Duration d) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            while (!chunks.containsKey(id)) {
                if (System.nanoTime() > end) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }
    }

    /** A sender and a receiver of {@code keys}' space that added each other and are connected. */
    private static ConnectedPair connect(SharedKeys keys, MapChunks atReceiver) throws Exception {
        ChunkSpaces spaces = new ChunkSpaces();
        spaces.add(ChunkSpace.of(keys, atReceiver, atReceiver));
        return ConnectedPair.start(spaces);
    }
}
