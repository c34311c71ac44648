package dev.strata.sync.chunks;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.store.StoredChunk;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.TestDevice;
import dev.strata.sync.wire.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.HashSet;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two devices on loopback exchange chunks: only the lacking ones travel, each is verified from its
 * bytes before it is stored, a corrupted one is refused and logged.
 */
@Timeout(120)
class ChunkExchangeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void onlyTheLackingChunksTravel_andArriveIntact_inTheReceiversRepository() throws Exception {
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        TestRepositories.Fixture b = copyOf(a, tmp.resolve("b"));
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            data.add(RandomData.bytes(i, 1000 + 500 * i));
        }
        data.add(new byte[4096]); // all zeros: stored as a chunk all the same
        List<ChunkId> ids = new ArrayList<>();
        try (Repository ra = a.open(LockMode.APPEND); Repository rb = b.open(LockMode.APPEND)) {
            for (byte[] d : data) {
                ids.add(ra.store().put(d, PackType.DATA));
            }
            ra.store().flush();
            for (int i = 0; i < 4; i++) {
                rb.store().put(data.get(i), PackType.DATA);
            }
            rb.store().flush();

            ChunkSpace spaceA = StoreChunks.repositorySpace(ra.config().id(), ra.store());
            ChunkSpaces atB = new ChunkSpaces();
            atB.add(StoreChunks.repositorySpace(rb.config().id(), rb.store()));
            try (ConnectedPair p = ConnectedPair.start(atB)) {
                ChunkSender.Report first = new ChunkSender(WAIT).offer(p.connection(), spaceA, ids);
                assertThat(first).isEqualTo(new ChunkSender.Report(11, 7, 7, sum(data.subList(4, 11)), 7, List.of()));
                // The chunk of zeros came compressed: the line says how many bytes crossed the wire too.
                assertThat(p.receiver().awaitLog("stored 7 chunks (" + sum(data.subList(4, 11)) + " bytes, ", WAIT))
                        .isTrue();
                for (int i = 0; i < data.size(); i++) {
                    assertThat(rb.store().get(ids.get(i))).isEqualTo(data.get(i));
                }
                ChunkSender.Report again = new ChunkSender(WAIT).offer(p.connection(), spaceA, ids);
                assertThat(again).isEqualTo(new ChunkSender.Report(11, 0, 0, 0, 0, List.of()));
            }
        }
        // Durable: a fresh open of b reads them from its packs.
        try (Repository rb = b.open(LockMode.READ)) {
            for (int i = 0; i < data.size(); i++) {
                assertThat(rb.store().get(ids.get(i))).isEqualTo(data.get(i));
            }
        }
    }

    /**
     * Chunks the receiver holds but has not written into a pack yet (stored by a request whose connection
     * ended before its end, say) count as present, so an offer of them sends nothing — and its answer must
     * still mean "stored": the records that follow may refer to them. The answer waits for them to be
     * written and indexed.
     */
    @Test
    void chunksHeldButNotYetInAPack_areWrittenBeforeTheAnswerSaysStored() throws Exception {
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        TestRepositories.Fixture b = copyOf(a, tmp.resolve("b"));
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.add(RandomData.bytes(60 + i, 2000 + 100 * i));
        }
        List<ChunkId> ids = new ArrayList<>();
        try (Repository ra = a.open(LockMode.APPEND); Repository rb = b.open(LockMode.APPEND)) {
            for (byte[] d : data) {
                ids.add(ra.store().put(d, PackType.DATA));
            }
            ra.store().flush();
            for (byte[] d : data) {
                rb.store().put(d, PackType.DATA); // held, not flushed
            }
            assertThat(rb.index().lookup(ids.get(0))).as("not in a pack yet").isEmpty();

            ChunkSpace spaceA = StoreChunks.repositorySpace(ra.config().id(), ra.store());
            ChunkSpaces atB = new ChunkSpaces();
            atB.add(StoreChunks.repositorySpace(rb.config().id(), rb.store()));
            try (ConnectedPair p = ConnectedPair.start(atB)) {
                ChunkSender.Report r = new ChunkSender(WAIT).offer(p.connection(), spaceA, ids);
                assertThat(r).isEqualTo(new ChunkSender.Report(5, 0, 0, 0, 0, List.of()));
                for (ChunkId id : ids) {
                    assertThat(rb.index().lookup(id)).as("in a stored pack when the answer came").isPresent();
                }
            }
        }
    }

    @Test
    void twoRepositoriesWhoseVolumesShareKeys_exchangeOnlyTheMissingChunksOfAFile() throws Exception {
        byte[] volumeId = RandomData.bytes(77, 16);
        VolumeKeys keys = VolumeKeys.generate(volumeId, 4096, 16384, 65536);
        // Two repositories of their own (two master keys); the volume's keys reach b as a joining peer gets them.
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        TestRepositories.Fixture b = TestRepositories.local(tmp.resolve("b")).init();
        VolumeKeys atB = VolumeKeys.fromPlaintext(volumeId, keys.plaintext());
        byte[] older = RandomData.bytes(5, 1_000_000);
        byte[] newer = older.clone();
        for (int i = 500_000; i < 500_100; i++) {
            newer[i] ^= 0x5a;
        }
        List<ChunkRef> file;
        try (Repository ra = a.open(LockMode.APPEND); Repository rb = b.open(LockMode.APPEND)) {
            ChunkStore va = ra.volumeStore(keys);
            ChunkStore vb = rb.volumeStore(atB);
            file = va.putStream(Channels.newChannel(new ByteArrayInputStream(newer)));
            va.flush();
            List<ChunkRef> bHas = vb.putStream(Channels.newChannel(new ByteArrayInputStream(older)));
            vb.flush();
            List<ChunkId> ids = file.stream().filter(r -> !r.isHole()).map(ChunkRef::id).toList();
            Set<ChunkId> missing = new HashSet<>(ids);
            bHas.forEach(r -> missing.remove(r.id()));
            assertThat(missing).as("an edit in the middle changes a chunk or two").isNotEmpty().hasSizeLessThan(ids.size() / 4);
            assertThat(ra.store().put(newer, PackType.DATA)).as("the repositories' own keys differ")
                    .isNotEqualTo(rb.store().put(newer, PackType.DATA));

            ChunkSpaces spacesAtB = new ChunkSpaces();
            spacesAtB.add(StoreChunks.volumeSpace(vb));
            try (ConnectedPair p = ConnectedPair.start(spacesAtB)) {
                ChunkSender.Report r = new ChunkSender(WAIT).offer(p.connection(), StoreChunks.volumeSpace(va), ids);
                assertThat(r.sent()).as("%s", r).isEqualTo(missing.size());
                assertThat(r.stored()).as("%s", r).isEqualTo(missing.size());
                assertThat(r.refused()).isEmpty();
                for (ChunkId id : ids) {
                    assertThat(vb.contains(id)).isTrue();
                }
                assertThat(new ChunkSender(WAIT).offer(p.connection(), StoreChunks.volumeSpace(va), ids).sent()).isZero();
            }
        }
        // b now holds the newer file whole, in packs of the volume's key space, verified as such.
        try (Repository rb = b.open(LockMode.READ)) {
            ChunkStore vb = rb.volumeStore(atB);
            java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
            for (ChunkRef r : file) {
                back.write(vb.get(r.id()));
            }
            assertThat(back.toByteArray()).isEqualTo(newer);
            for (dev.strata.core.index.PackRecord pack : rb.index().packs().values()) {
                assertThat(rb.store().verifier().verify(pack.id()).ok()).isTrue();
            }
        }
    }

    @Test
    void aChunkWhoseBytesDoNotMatchItsId_isRefused_logged_andNotStored() throws Exception {
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        TestRepositories.Fixture b = copyOf(a, tmp.resolve("b"));
        try (Repository ra = a.open(LockMode.APPEND); Repository rb = b.open(LockMode.APPEND)) {
            List<ChunkId> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(ra.store().put(RandomData.bytes(100 + i, 5000), PackType.DATA));
            }
            ra.store().flush();
            ChunkId bad = ids.get(2);
            StoreChunks real = new StoreChunks(ra.store());
            ChunkSource corrupting = id -> {
                byte[] d = real.read(id).clone();
                if (id.equals(bad)) {
                    d[17] ^= 0x01;
                }
                return d;
            };
            ChunkSpace spaceA = new ChunkSpace(SpaceId.of(ra.config().id()), ra.store().hasher(), corrupting, real);
            ChunkSpaces atB = new ChunkSpaces();
            atB.add(StoreChunks.repositorySpace(rb.config().id(), rb.store()));
            try (ConnectedPair p = ConnectedPair.start(atB)) {
                ChunkSender.Report r = new ChunkSender(WAIT).offer(p.connection(), spaceA, ids);
                assertThat(r.sent()).isEqualTo(5);
                assertThat(r.stored()).isEqualTo(4);
                assertThat(r.refused()).containsExactly(bad);
                assertThat(p.receiver().log()).contains("refused chunk " + bad.shortString() + " from " + p.sender().id().shortString()
                        + ": its content does not match its id (the bytes hash to ");
                assertThat(rb.store().contains(bad)).isFalse();
                assertThat(rb.store().contains(ids.get(3))).isTrue();
                // The connection stays up for what follows.
                assertThat(p.connection().isOpen()).isTrue();
            }
        }
    }

    @Test
    void atVersion3_compressibleChunksCrossTheWireAsStored_andAVersion2PeerStillGetsThemAsPlaintext() throws Exception {
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            data.add(RandomData.text(i, 40_000 + 1000 * i));
        }
        data.add(RandomData.bytes(99, 30_000)); // incompressible: stored, and sent, as it is
        long raw = sum(data);
        List<ChunkId> ids = new ArrayList<>();
        Map<String, Long> wire = new java.util.LinkedHashMap<>();
        TestRepositories.Fixture[] receivers = new TestRepositories.Fixture[3];
        for (int k = 0; k < receivers.length; k++) {
            receivers[k] = copyOf(a, tmp.resolve("b" + k));
        }
        try (Repository ra = a.open(LockMode.APPEND)) {
            for (byte[] d : data) {
                ids.add(ra.store().put(d, PackType.DATA));
            }
            ra.store().flush();
            ChunkSpace spaceA = StoreChunks.repositorySpace(ra.config().id(), ra.store());
            int[][] versions = {{3, 3}, {2, 3}, {3, 2}};
            for (int k = 0; k < versions.length; k++) {
                try (Repository rb = receivers[k].open(LockMode.APPEND)) {
                    ChunkSpaces atB = new ChunkSpaces();
                    atB.add(StoreChunks.repositorySpace(rb.config().id(), rb.store()));
                    try (ConnectedPair p = ConnectedPair.start(atB, versions[k][0], versions[k][1])) {
                        PeerConnection c = p.connection();
                        assertThat(c.version()).isEqualTo(Math.min(versions[k][0], versions[k][1]));
                        long before = c.bytesSent();
                        ChunkSender.Report r = new ChunkSender(WAIT).offer(c, spaceA, ids);
                        wire.put("sender " + versions[k][0] + ", receiver " + versions[k][1], c.bytesSent() - before);
                        assertThat(r).isEqualTo(new ChunkSender.Report(ids.size(), ids.size(), ids.size(), raw, ids.size(), List.of()));
                        for (int i = 0; i < data.size(); i++) {
                            assertThat(rb.store().get(ids.get(i))).isEqualTo(data.get(i));
                        }
                        assertThat(p.receiver().log()).contains("stored " + ids.size() + " chunks (" + raw + " bytes"
                                + (c.version() >= 3 ? ", " : ")"));
                    }
                }
                try (Repository rb = receivers[k].open(LockMode.READ)) {
                    for (dev.strata.core.index.PackRecord pack : rb.index().packs().values()) {
                        assertThat(rb.store().verifier().verify(pack.id()).ok()).isTrue();
                    }
                }
            }
        }
        long packed = wire.get("sender 3, receiver 3");
        System.out.println("chunk frames sent for " + raw + " bytes of chunks (text, and one random): " + wire);
        // Both pairs speak version 2; a keepalive ping (a few bytes) may go out during either under load.
        assertThat(wire.get("sender 2, receiver 3")).isGreaterThan(raw)
                .isCloseTo(wire.get("sender 3, receiver 2"), org.assertj.core.data.Offset.offset(256L));
        assertThat(packed).as("text shrinks about 3x: %s", wire).isLessThan(raw / 2);
    }

    @Test
    void aPackedChunkThatDoesNotDecode_orDecodesToOtherBytes_isRefused_logged_andNotStored() throws Exception {
        TestRepositories.Fixture a = TestRepositories.local(tmp.resolve("a")).init();
        TestRepositories.Fixture b = copyOf(a, tmp.resolve("b"));
        try (Repository ra = a.open(LockMode.APPEND); Repository rb = b.open(LockMode.APPEND)) {
            List<ChunkId> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(ra.store().put(RandomData.text(200 + i, 20_000), PackType.DATA));
            }
            ra.store().flush();
            ChunkId damaged = ids.get(1);
            ChunkId otherContent = ids.get(3);
            StoreChunks real = new StoreChunks(ra.store());
            ChunkSource corrupting = new ChunkSource() {
                @Override
                public byte[] read(ChunkId id) throws IOException {
                    return real.read(id);
                }

                @Override
                public StoredChunk readStored(ChunkId id) throws IOException {
                    StoredChunk s = real.readStored(id);
                    assertThat(s.compression()).isEqualTo(CompressionCode.ZSTD);
                    if (id.equals(damaged)) {
                        byte[] p = s.payload().clone();
                        for (int i = 4; i < p.length; i += 7) {
                            p[i] ^= 0x55;
                        }
                        return new StoredChunk(s.compression(), s.rawLength(), p);
                    }
                    if (id.equals(otherContent)) {
                        // A well-formed zstd frame of the right length, of other text.
                        byte[] other = RandomData.text(999, s.rawLength());
                        var z = new ZstdCompressor(3).compress(other, 0, other.length);
                        return new StoredChunk(z.code(), s.rawLength(), java.util.Arrays.copyOfRange(z.data(), z.offset(), z.offset() + z.length()));
                    }
                    return s;
                }
            };
            ChunkSpace spaceA = new ChunkSpace(SpaceId.of(ra.config().id()), ra.store().hasher(), corrupting, real);
            ChunkSpaces atB = new ChunkSpaces();
            atB.add(StoreChunks.repositorySpace(rb.config().id(), rb.store()));
            try (ConnectedPair p = ConnectedPair.start(atB)) {
                assertThat(p.connection().version()).isEqualTo(3);
                ChunkSender.Report r = new ChunkSender(WAIT).offer(p.connection(), spaceA, ids);
                assertThat(r.sent()).isEqualTo(5);
                assertThat(r.stored()).isEqualTo(3);
                assertThat(r.refused()).containsExactlyInAnyOrder(damaged, otherContent);
                String from = " from " + p.sender().id().shortString() + ": ";
                assertThat(p.receiver().log())
                        .containsAnyOf("refused chunk " + damaged.shortString() + from + "its packed bytes do not decode (",
                                "refused chunk " + damaged.shortString() + from + "its content does not match its id")
                        .contains("refused chunk " + otherContent.shortString() + from + "its content does not match its id (the bytes hash to ");
                assertThat(rb.store().contains(damaged)).isFalse();
                assertThat(rb.store().contains(otherContent)).isFalse();
                assertThat(rb.store().get(ids.get(2))).isEqualTo(ra.store().get(ids.get(2)));
                assertThat(p.connection().isOpen()).isTrue();
            }
        }
    }

    @Test
    void aLargeTransfer_isMadeDurableAsItComes_soTheReceiverHoldsABoundedAmountOfIt() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(new byte[16]));
        MapChunks atSender = new MapChunks();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] d = RandomData.bytes(300 + i, 50_000);
            ids.add(atSender.put(keys.hasher().hash(d), d));
        }
        // A sink that, like a live volume's store, keeps what it was given until it is flushed.
        List<Long> heldAtFlush = new java.util.concurrent.CopyOnWriteArrayList<>();
        MapChunks atReceiver = new MapChunks() {
            long held;

            @Override
            public synchronized void store(ChunkId id, byte[] data) {
                super.store(id, data);
                held += data.length;
            }

            @Override
            public synchronized void flush() {
                heldAtFlush.add(held);
                held = 0;
            }
        };
        ChunkSpaces atB = new ChunkSpaces();
        atB.add(ChunkSpace.of(keys, atReceiver, atReceiver));
        TestDevice sender = new TestDevice("sender").start();
        TestDevice receiver = new TestDevice("receiver");
        receiver.start(0, c -> new ChunkReceiver(atB, receiver.log, 200_000));
        try (ConnectedPair p = new ConnectedPair(sender, receiver)) {
            receiver.add(sender);
            sender.add(receiver);
            assertThat(sender.awaitConnected(receiver, WAIT)).isTrue();
            Thread.sleep(500);
            ChunkSender.Report r = new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), ids);
            assertThat(r.stored()).isEqualTo(40);
            assertThat(atReceiver.chunks).hasSize(40);
            // The answer flushes even when nothing is left to write (then the flush holds nothing).
            assertThat(heldAtFlush.stream().filter(held -> held > 0).toList())
                    .as("flushed every 200 000 bytes or so, and at the end").hasSize(10)
                    .allSatisfy(held -> assertThat(held).isLessThanOrEqualTo(200_000));
        }
    }

    @Test
    void whileChunksAreStored_theConnectionsReaderGoesOn_andAnswersAnotherQuestion() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(RandomData.bytes(3, 16)));
        MapChunks atSender = new MapChunks();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] d = RandomData.bytes(400 + i, 20_000);
            ids.add(atSender.put(keys.hasher().hash(d), d));
        }
        java.util.concurrent.CountDownLatch storing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        MapChunks atReceiver = new MapChunks() {
            @Override
            public void store(ChunkId id, byte[] data) {
                storing.countDown();
                try {
                    release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.store(id, data);
            }
        };
        ChunkSpaces atB = new ChunkSpaces();
        atB.add(ChunkSpace.of(keys, atReceiver, atReceiver));
        try (ConnectedPair p = ConnectedPair.start(atB)) {
            java.util.concurrent.CompletableFuture<ChunkSender.Report> transfer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), ids);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertThat(storing.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
                // A store holds the first chunk: the receiver still reads, and answers a question of another request.
                try (PeerConnection.Request r = p.connection().request()) {
                    p.connection().send(new dev.strata.sync.wire.ChunkMessages.HaveQuery(r.id(), keys.space(), ids).encode());
                    dev.strata.sync.wire.Frame f = r.await(Duration.ofSeconds(3));
                    assertThat(f.type()).isEqualTo(dev.strata.sync.wire.MessageType.HAVE_ANSWER);
                    assertThat(dev.strata.sync.wire.ChunkMessages.HaveAnswer.decode(f).lacking().cardinality()).isEqualTo(4);
                }
            } finally {
                release.countDown();
            }
            assertThat(transfer.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).stored()).isEqualTo(4);
            assertThat(atReceiver.chunks.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void chunksTakenAndNotYetStored_areBoundedInBytes_theSenderWaitsForRoom() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(RandomData.bytes(4, 16)));
        MapChunks atSender = new MapChunks();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] d = RandomData.bytes(500 + i, 50_000);
            ids.add(atSender.put(keys.hasher().hash(d), d));
        }
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        MapChunks atReceiver = new MapChunks() {
            @Override
            public void store(ChunkId id, byte[] data) {
                try {
                    release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.store(id, data);
            }
        };
        ChunkSpaces atB = new ChunkSpaces();
        atB.add(ChunkSpace.of(keys, atReceiver, atReceiver));
        TestDevice sender = new TestDevice("sender").start();
        TestDevice receiver = new TestDevice("receiver");
        int room = 300_000;
        receiver.start(0, c -> new ChunkReceiver(atB, receiver.log, ChunkReceiver.FLUSH_EVERY_BYTES, room));
        try (ConnectedPair p = new ConnectedPair(sender, receiver)) {
            receiver.add(sender);
            sender.add(receiver);
            assertThat(sender.awaitConnected(receiver, WAIT)).isTrue();
            Thread.sleep(500);
            java.util.concurrent.CompletableFuture<ChunkSender.Report> transfer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), ids);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            PeerConnection atReceiverSide = receiver.network.connections().connection(sender.id()).orElseThrow();
            long read;
            try {
                Thread.sleep(1500);
                read = atReceiverSide.bytesReceived();
            } finally {
                release.countDown();
            }
            // 3 MB offered while nothing could be stored: the reader took what fits the room (a chunk counts its wire
            // bytes and its plaintext) and read one chunk more, then waited; TCP held the sender back.
            assertThat(read).as("bytes read while the store was held").isLessThan(room + 2 * 50_100 + 3_000);
            assertThat(transfer.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).stored()).isEqualTo(60);
            assertThat(atReceiver.chunks).hasSize(60);
        }
    }

    @Test
    void theSpacesKey_decides_idsUnderAnotherKeyAreRefused() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(new byte[16]));
        SharedKeys other = SharedKeys.generate(keys.space());
        MapChunks atSender = new MapChunks();
        MapChunks atReceiver = new MapChunks();
        List<ChunkId> right = new ArrayList<>();
        List<ChunkId> wrong = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] d = RandomData.bytes(i, 300);
            right.add(atSender.put(keys.hasher().hash(d), d));
            byte[] e = RandomData.bytes(50 + i, 300);
            wrong.add(atSender.put(other.hasher().hash(e), e));
        }
        ChunkSpaces atB = new ChunkSpaces();
        atB.add(ChunkSpace.of(keys, atReceiver, atReceiver));
        try (ConnectedPair p = ConnectedPair.start(atB)) {
            ChunkSender sender = new ChunkSender(WAIT);
            assertThat(sender.offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), right).stored()).isEqualTo(3);
            ChunkSender.Report r = sender.offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), wrong);
            assertThat(r.stored()).isZero();
            // Checked on two worker threads: the refusals come in the order the checks end.
            assertThat(r.refused()).containsExactlyInAnyOrderElementsOf(wrong);
            assertThat(atReceiver.chunks.keySet()).containsExactlyInAnyOrderElementsOf(right);
        }
    }

    @Test
    void anUnknownSpace_failsTheRequest_withTheReason() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(RandomData.bytes(1, 16)));
        MapChunks chunks = new MapChunks();
        byte[] d = RandomData.bytes(1, 10);
        ChunkId id = chunks.put(keys.hasher().hash(d), d);
        try (ConnectedPair p = ConnectedPair.start(new ChunkSpaces())) {
            assertThatThrownBy(() -> new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, chunks, chunks), List.of(id)))
                    .hasMessageContaining("could not take the chunks: this device holds no chunk space " + keys.space());
            assertThat(p.connection().isOpen()).isTrue();
        }
    }

    @Test
    void aStoreThatFails_failsTheRequestWithTheReason_andKeepsTheConnection() throws Exception {
        SharedKeys keys = SharedKeys.generate(SpaceId.of(RandomData.bytes(2, 16)));
        MapChunks atSender = new MapChunks();
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] d = RandomData.bytes(i, 100);
            ids.add(atSender.put(keys.hasher().hash(d), d));
        }
        MapChunks empty = new MapChunks();
        ChunkSpaces atB = new ChunkSpaces();
        atB.add(ChunkSpace.of(keys, empty, new FailingSink(empty)));
        try (ConnectedPair p = ConnectedPair.start(atB)) {
            assertThatThrownBy(() -> new ChunkSender(WAIT).offer(p.connection(), ChunkSpace.of(keys, atSender, atSender), ids))
                    .hasMessageContaining("could not take the chunks: storing chunk " + ids.get(0).shortString()
                            + " failed: No space left on device");
            assertThat(p.connection().isOpen()).isTrue();
        }
    }

    /** A sink whose every store fails as a full disk does. */
    private record FailingSink(MapChunks chunks) implements ChunkSink {
        @Override
        public BitSet lacking(List<ChunkId> ids) {
            return chunks.lacking(ids);
        }

        @Override
        public void store(ChunkId id, byte[] data) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void flush() {
        }
    }

    @Test
    void sharedKeys_neverPrintTheirKey_andCopyIt() {
        byte[] key = RandomData.bytes(9, 32);
        SharedKeys k = new SharedKeys(SpaceId.of(new byte[16]), key);
        key[0] ^= 1;
        assertThat(k.chunkIdKey()).isNotEqualTo(key);
        assertThat(k.toString()).doesNotContain(dev.strata.core.id.Hex.encode(k.chunkIdKey()));
        assertThatThrownBy(() -> new SharedKeys(SpaceId.of(new byte[16]), new byte[31])).hasMessageContaining("32 bytes");
    }

    /** A sender and a receiver that added each other and are connected. */
    /** A second repository with the same id and keys: a copy of {@code a} made before anything was stored. */
    private static TestRepositories.Fixture copyOf(TestRepositories.Fixture a, Path dir) throws IOException {
        Path from = Path.of(a.backend().location());
        Path to = dir.resolve("repo");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return TestRepositories.local(dir);
    }

    private static long sum(List<byte[]> l) {
        return l.stream().mapToLong(b -> b.length).sum();
    }
}
