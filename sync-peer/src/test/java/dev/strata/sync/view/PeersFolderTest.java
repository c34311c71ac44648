package dev.strata.sync.view;

import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.id.ChunkId;
import dev.strata.core.testing.RandomData;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.ViewNode;
import dev.strata.sync.chunks.ChunkSink;
import dev.strata.sync.chunks.ChunkSpace;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerRequests;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.sync.volumes.VolumePeer;
import dev.strata.volume.view.ViewOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.strata.sync.volumes.VolumePeer.ME;
import static dev.strata.sync.volumes.VolumePeer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code peers/<device>/<volume>/} between two real devices on loopback: it shows what the peer holds
 * (tree, metadata, contents) as its records last came, follows its changes, keeps showing the last
 * state while the peer is away, and reads a chunk this device does not hold from the peer, checked.
 */
@Timeout(180)
class PeersFolderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static VolumeKeys keys() {
        return VolumeKeys.generate(RandomData.bytes(12, 16), 4096, 16384, 65536);
    }

    private static VolumeKeys copy(VolumeKeys k) throws Exception {
        return VolumeKeys.fromPlaintext(k.volumeId(), k.plaintext());
    }

    /** {@code p}'s {@code peers/}, over volume {@code v} (p's own as served, or one told otherwise). */
    private static PeersFolder peersOf(VolumePeer p, SharedVolume v, List<String> log) {
        PeerSource source = new PeerSource() {
            @Override
            public List<SharedVolume> volumes() {
                return List.of(v);
            }

            @Override
            public Set<DeviceId> devices(SharedVolume volume) {
                return Set.copyOf(p.sharedWith);
            }

            @Override
            public PeerRequests requests() {
                return p.device.network.connections();
            }
        };
        return new PeersFolder(() -> source, new ViewOwner(1000, 1000, Timestamp.of(Instant.EPOCH)), Duration.ofSeconds(10),
                log::add);
    }

    private static ViewNode volumeOf(PeersFolder peers, DeviceId device) throws IOException {
        return peers.child(device.toString()).orElseThrow().child("docs").orElseThrow();
    }

    /** A described tree as the read-only view shows it: modes without write bits, link counts left out. */
    private static Map<String, String> readOnly(Map<String, String> tree) {
        Map<String, String> out = new TreeMap<>();
        tree.forEach((path, line) -> {
            String[] t = line.split(" ", 3);
            int mode = Integer.parseInt(t[1], 8) & ~0222;
            out.put(path, (t[0] + " " + Integer.toOctalString(mode) + " " + t[2]).replaceAll(" links \\d+", ""));
        });
        return out;
    }

    private static Map<String, String> awaitView(ViewNode view, VolumePeer owner) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, String> seen;
            Map<String, String> expected;
            try {
                seen = readOnly(VolumePeer.describe(view));
                expected = readOnly(owner.describe());
            } catch (IOException | java.util.NoSuchElementException changing) {
                Thread.sleep(50); // a name went while a tree was walked: changes are still arriving
                continue;
            }
            if (seen.equals(expected) || System.nanoTime() > deadline) {
                assertThat(seen).as(owner.device.log()).isEqualTo(expected);
                return seen;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void showsWhatThePeerHas_followsItsChanges_andKeepsTheLastStateWhileApart() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            ViewNode ra = a.root();
            write(ra, "big.bin", RandomData.bytes(3, 300_000));
            ra.mkdir("docs", 0750, ME);
            ViewNode docs = ra.child("docs").orElseThrow();
            write(docs, "note.txt", b("hello"));
            docs.child("note.txt").orElseThrow().setXattr("user.tag", b("blue"));
            ra.symlink("link", b("docs/note.txt"), ME);

            PeersFolder peersOfB = peersOf(b, b.shared, new CopyOnWriteArrayList<>());
            assertThat(peersOfB.list()).extracting(DirEntry::name).containsExactly(a.device.id().toString());
            assertThat(peersOfB.child(a.device.id().toString()).orElseThrow().list()).extracting(DirEntry::name)
                    .containsExactly("docs");
            ViewNode aSeenFromB = volumeOf(peersOfB, a.device.id());
            Map<String, String> first = awaitView(aSeenFromB, a);
            assertThat(b.device.awaitLog("volume docs: has every record of " + a.device.id().shortString(), WAIT))
                    .as(b.device.log()).isTrue();
            assertThat(first).containsKeys("big.bin", "docs", "docs/note.txt", "link");
            assertThat(first.get("docs/note.txt")).contains("xattr user.tag");
            assertThat(aSeenFromB.child("docs").orElseThrow().attributes().mode()).isEqualTo(0550);
            assertThatThrownBy(() -> aSeenFromB.create("x", 0644, ME))
                    .isInstanceOf(java.nio.file.ReadOnlyFileSystemException.class);

            // Changes on a: a new file, a rename, a delete.
            write(ra, "more.txt", b("more"));
            ra.rename("big.bin", docs, "moved.bin");
            docs.remove("note.txt", false);
            assertThat(awaitView(aSeenFromB, a)).containsKeys("docs/moved.bin", "more.txt")
                    .doesNotContainKeys("big.bin", "docs/note.txt");

            // And the other way: a's view of b.
            write(b.root(), "from-b.txt", b("made on b"));
            awaitView(volumeOf(peersOf(a, a.shared, new CopyOnWriteArrayList<>()), b.device.id()), b);

            // Apart: b's view of a keeps a's last state (a's record of from-b.txt included, once it came
            // back); a's later changes show once they are together again.
            Map<String, String> before = awaitView(aSeenFromB, a);
            a.sharedWith.clear();
            b.sharedWith.clear();
            Thread.sleep(300);
            write(ra, "while-apart.txt", b("later"));
            Thread.sleep(500);
            b.sharedWith.add(a.device.id()); // b lists a again; a still sends it nothing
            assertThat(readOnly(VolumePeer.describe(volumeOf(peersOfB, a.device.id())))).isEqualTo(before);
            a.sharedWith.add(b.device.id());
            b.reconnect(a);
            assertThat(awaitView(volumeOf(peersOfB, a.device.id()), a)).containsKey("while-apart.txt");
        }
    }

    /** A chunk sink that holds nothing: every read of the view goes to the peer. */
    private static ChunkSink holdingNothing() {
        return new ChunkSink() {
            @Override
            public BitSet lacking(List<ChunkId> ids) {
                BitSet all = new BitSet(ids.size());
                all.set(0, ids.size());
                return all;
            }

            @Override
            public void store(ChunkId id, byte[] data) {
                throw new UnsupportedOperationException("a view stores nothing");
            }

            @Override
            public void flush() {
            }
        };
    }

    @Test
    void aChunkNotHeldHere_isReadFromThePeer_checked_andFailsClearlyWhileThePeerIsAway() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            byte[] content = RandomData.bytes(4, 200_000);
            write(a.root(), "f.bin", content);
            PeersFolder held = peersOf(b, b.shared, new CopyOnWriteArrayList<>());
            awaitView(volumeOf(held, a.device.id()), a);

            ChunkSpace real = b.shared.space();
            SharedVolume nothingHeld = b.sharedOver(new ChunkSpace(real.id(), real.ids(), real.source(), holdingNothing()));
            List<String> log = new CopyOnWriteArrayList<>();
            ViewNode f = volumeOf(peersOf(b, nothingHeld, log), a.device.id()).child("f.bin").orElseThrow();
            assertThat(VolumePeer.read(f)).isEqualTo(content);
            assertThat(log).isEmpty();

            // Bytes that do not match their id are refused: a's chunks checked under another key.
            ChunkSpace otherKey = new ChunkSpace(real.id(), keys().chunkIdHasher(), real.source(), holdingNothing());
            ViewNode forged = volumeOf(peersOf(b, b.sharedOver(otherKey), log), a.device.id()).child("f.bin").orElseThrow();
            assertThatThrownBy(() -> VolumePeer.read(forged)).hasMessageContaining("does not match its id");

            // The peer away: the tree still shows, a read of what is not held here says why it fails.
            a.device.close();
            // Not the log's "disconnected from": a duplicate connection dropped at the start says that too.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (b.device.network.connections().connection(a.device.id()).isPresent()) {
                assertThat(System.nanoTime() < deadline).as("b still connected to a:\n" + b.device.log()).isTrue();
                Thread.sleep(10);
            }
            ViewNode away = volumeOf(peersOf(b, nothingHeld, log), a.device.id());
            assertThat(away.list()).extracting(DirEntry::name).containsExactly("f.bin");
            assertThatThrownBy(() -> VolumePeer.read(away.child("f.bin").orElseThrow())).hasMessageContaining("is not connected");
            assertThat(log).anyMatch(l -> l.contains("is not connected"));
            // What this device holds still reads.
            assertThat(VolumePeer.read(volumeOf(held, a.device.id()).child("f.bin").orElseThrow())).isEqualTo(content);
        }
    }
}
