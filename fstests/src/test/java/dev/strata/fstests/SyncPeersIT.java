package dev.strata.fstests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.sync.SyncNode;
import dev.strata.sync.chunks.ChunkSender;
import dev.strata.sync.chunks.ChunkSource;
import dev.strata.sync.chunks.ChunkSpace;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.chunks.StoreChunks;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.net.Timings;
import dev.strata.sync.peer.PeerAddress;
import dev.strata.sync.peer.PeerBook;
import dev.strata.sync.trust.PinnedTrustManager;
import dev.strata.sync.trust.TlsContext;
import dev.strata.sync.wire.SpaceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real {@code strata sync run} processes on loopback, each with its own HOME, configuration folder and
 * repository: devices that added each other connect and say so in {@code sync status --json}; a device
 * not added and a forged certificate are refused and logged; a chunk transfer moves only the missing
 * chunks and a corrupted chunk is refused.
 */
@Timeout(300)
class SyncPeersIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void peersThatAddedEachOther_connect_andADeviceNotAddedAndAForgedCertificateAreRefused() throws Exception {
        try (SyncDevice ana = new SyncDevice(tmp.resolve("ana")); SyncDevice bob = new SyncDevice(tmp.resolve("bob"));
             SyncDevice eve = new SyncDevice(tmp.resolve("eve"))) {
            for (SyncDevice d : List.of(ana, bob, eve)) {
                d.run("init");
            }
            String anaId = ana.id();
            String bobId = bob.id();
            String eveId = eve.id();
            assertThat(List.of(anaId, bobId, eveId)).doesNotHaveDuplicates();
            ana.run("sync", "add-peer", bobId, bob.address());
            bob.run("sync", "add-peer", anaId, ana.address());
            eve.run("sync", "add-peer", bobId, bob.address()); // bob never adds eve

            ana.start();
            bob.start();
            eve.start();
            JsonNode anaSeesBob = ana.awaitPeer(bobId, s -> s.path("connected").asBoolean(), WAIT);
            JsonNode bobSeesAna = bob.awaitPeer(anaId, s -> s.path("connected").asBoolean(), WAIT);
            assertThat(anaSeesBob.path("since").asText()).isNotEmpty();
            assertThat(bobSeesAna.path("since").asText()).isNotEmpty();
            JsonNode status = ana.status();
            assertThat(status.path("running").asBoolean()).isTrue();
            assertThat(status.path("device").asText()).isEqualTo(anaId);
            assertThat(status.path("listen").asText()).isEqualTo(ana.address());

            // eve is not added on bob: refused at every attempt, and bob's log names the ID eve presented.
            bob.awaitLog("device " + eveId + " is not an added peer (it presented device ID " + eveId + ")", WAIT);
            JsonNode eveSeesBob = eve.awaitPeer(bobId, s -> s.path("lastError").asText().contains("refused this device's certificate"), WAIT);
            assertThat(eveSeesBob.path("connected").asBoolean()).isFalse();
            assertThat(bob.status().path("peers")).hasSize(1);

            // A certificate with ana's subject and another key is another device to bob.
            DeviceIdentity anaIdentity = DeviceIdentity.load(ana.configFolder()).orElseThrow();
            String subject = anaIdentity.certificate().getSubjectX500Principal().getName();
            DeviceIdentity forged = DeviceIdentity.generate(subject, Clock.systemUTC());
            assertThat(forged.certificate().getSubjectX500Principal()).isEqualTo(anaIdentity.certificate().getSubjectX500Principal());
            assertThat(forged.id()).isNotEqualTo(anaIdentity.id());
            TlsContext tls = new TlsContext(forged, new PinnedTrustManager(() -> Set.of(DeviceId.parse(bobId)), (id, from, why) -> { }));
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), bob.port);
                 SSLSocket s = tls.client(plain, "127.0.0.1", bob.port)) {
                s.setSoTimeout(30_000);
                assertThatThrownBy(() -> {
                    s.startHandshake();
                    // TLS 1.3: the server's verdict on the client's certificate comes with the first read.
                    if (s.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                }).isInstanceOf(IOException.class);
            }
            bob.awaitLog("device " + forged.id() + " is not an added peer (it presented device ID " + forged.id() + ")", WAIT);
            assertThat(bob.peerStatus(anaId).path("connected").asBoolean()).isTrue();

            // SIGTERM stops ana cleanly: exit 0, a goodbye that bob's status shows, and a status that says stopped.
            assertThat(ana.terminate()).isZero();
            assertThat(ana.log()).contains("strata sync: stopped");
            bob.awaitPeer(anaId, s -> !s.path("connected").asBoolean(), WAIT);
            bob.awaitLog("disconnected from " + anaId.substring(0, 7) + ": the peer said goodbye: stopping", WAIT);
            assertThat(ana.status().path("running").asBoolean()).isFalse();
            assertThat(bob.terminate()).isZero();
            assertThat(eve.terminate()).isZero();
        }
    }

    @Test
    void aChunkTransfer_movesOnlyTheMissingChunks_andRefusesACorruptedOne() throws Exception {
        try (SyncDevice bob = new SyncDevice(tmp.resolve("bob"))) {
            // Two copies of one repository (same id and keys, so the same chunk ids): ana's and bob's.
            Path anaRepo = tmp.resolve("ana/repo");
            bob.run("init");
            copyTree(bob.repo, anaRepo);
            Path files = tmp.resolve("files");
            Files.createDirectories(files);
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                byte[] d = RandomData.bytes(i, 20_000 + 1000 * i);
                contents.add(d);
                Files.write(files.resolve("f" + i), d);
            }
            // bob backs up the first four files; ana all eleven.
            Path some = tmp.resolve("some");
            Files.createDirectories(some);
            for (int i = 0; i < 4; i++) {
                Files.write(some.resolve("f" + i), contents.get(i));
            }
            bob.run("backup", some.toString());
            SyncDeviceRepo ana = new SyncDeviceRepo(anaRepo, tmp.resolve("ana/cache"));
            ana.backup(bob, files);

            DeviceIdentity sender = DeviceIdentity.loadOrCreate(tmp.resolve("sender-config"), Clock.systemUTC());
            SyncNode.Settings settings = new SyncNode.Settings(tmp.resolve("sender-state/sync"),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "sender", Timings.DEFAULT);
            PeerBook senderPeers = new PeerBook(tmp.resolve("sender-config"), Clock.systemUTC());
            senderPeers.add(DeviceId.parse(bob.id()), PeerAddress.parse(bob.address()));
            ByteArrayOutputStream senderLog = new ByteArrayOutputStream();
            try (Repository ra = ana.open();
                 SyncNode node = SyncNode.start(sender, senderPeers, settings, new ChunkSpaces(),
                         new SyncLog(new PrintStream(senderLog, true, StandardCharsets.UTF_8), Clock.systemUTC()), Clock.systemUTC())) {
                bob.run("sync", "add-peer", sender.id().toString(), "127.0.0.1:" + node.listening().getPort());
                bob.start();
                bob.awaitLog("listening on", WAIT);
                DeviceId bobId = DeviceId.parse(bob.id());
                assertThat(node.connections().awaitConnected(bobId, WAIT)).as(senderLog.toString(StandardCharsets.UTF_8) + bob.log()).isTrue();

                List<ChunkId> ids = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    ids.add(ra.store().hasher().hash(contents.get(i)));
                }
                ChunkSpace space = StoreChunks.repositorySpace(ra.config().id(), ra.store());
                ChunkSender.Report report = node.offer(bobId, space, ids);
                long bytes = 0;
                for (int i = 4; i < 10; i++) {
                    bytes += contents.get(i).length;
                }
                assertThat(report).isEqualTo(new ChunkSender.Report(10, 6, 6, bytes, 6, List.of()));
                bob.awaitLog("stored 6 chunks (" + bytes + " bytes) from " + sender.id().shortString(), WAIT);
                assertThat(node.offer(bobId, space, ids)).isEqualTo(new ChunkSender.Report(10, 0, 0, 0, 0, List.of()));

                // The eleventh, corrupted on the way: refused, and bob's log says which and why.
                ChunkId eleventh = ra.store().hasher().hash(contents.get(10));
                StoreChunks real = new StoreChunks(ra.store());
                ChunkSource corrupting = id -> {
                    byte[] d = real.read(id).clone();
                    d[d.length / 2] ^= 0x40;
                    return d;
                };
                ChunkSender.Report bad = node.offer(bobId, new ChunkSpace(SpaceId.of(ra.config().id()), ra.store().hasher(), corrupting, real),
                        List.of(eleventh));
                assertThat(bad).isEqualTo(new ChunkSender.Report(1, 1, 1, contents.get(10).length, 0, List.of(eleventh)));
                bob.awaitLog("refused chunk " + eleventh.shortString() + " from " + sender.id().shortString()
                        + ": its content does not match its id", WAIT);
                assertThat(bob.terminate()).isZero();

                // bob's repository now holds the six it lacked, byte for byte, and not the corrupted one.
                try (Repository rb = new SyncDeviceRepo(bob.repo, tmp.resolve("check-cache")).open()) {
                    for (int i = 0; i < 10; i++) {
                        assertThat(rb.store().get(ids.get(i))).isEqualTo(contents.get(i));
                    }
                    assertThat(rb.store().contains(eleventh)).isFalse();
                }
            }
        }
    }

    /** A repository the test opens in this JVM (where no strata process uses it at the same time). */
    private record SyncDeviceRepo(Path repo, Path cache) {
        Repository open() throws IOException {
            return Repository.open(new LocalBackend(repo), Strata.PASSWORD.toCharArray(), OpenOptions.of(cache, LockMode.APPEND),
                    Clock.systemUTC(), HostIdentity.current());
        }

        void backup(SyncDevice like, Path source) {
            SyncDevice.runWith(like, java.util.Map.of("STRATA_REPO", repo.toString(), "STRATA_CACHE_DIR", cache.toString()), "backup",
                    source.toString());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
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
    }
}
