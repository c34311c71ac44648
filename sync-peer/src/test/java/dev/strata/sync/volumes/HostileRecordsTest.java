package dev.strata.sync.volumes;

import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.wire.VolumeMessages;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VersionVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.strata.sync.volumes.VolumeSyncTest.copy;
import static dev.strata.sync.volumes.VolumeSyncTest.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that sends records it should not, over a real connection: each bad batch is refused whole
 * with a log line, the connection is dropped, and nothing of the batch is applied — not even the good
 * record before the bad one.
 */
@Timeout(180)
class HostileRecordsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SyncRecord folder(byte[] path, VersionVector v, long seq) {
        return new SyncRecord(path, false, NodeType.DIRECTORY, 0755, 1000, 1000, new Timestamp(1_700_000_000, 0), 0,
                FileContent.EMPTY, new byte[0], List.of(), 0, v.device(0), v, seq);
    }

    @Test
    void badRecords_areRefusedWhole_theConnectionDropped_andNothingApplied() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            assertThat(b.device.awaitConnected(a.device, WAIT)).isTrue();
            long bee = SharedVolume.shortId(b.device.id());
            // A record b made earlier, applied on a: b's counter for "known" is 5 there.
            long deadline = System.nanoTime() + WAIT.toNanos();
            // Sent again if it went out on a connection closed meanwhile (two dialled at once: one is dropped).
            while (a.volume.state().syncRecord(b("known")) == null) {
                assertThat(System.nanoTime()).as(a.device.log()).isLessThan(deadline);
                assertThat(b.device.awaitConnected(a.device, WAIT)).isTrue();
                try {
                    send(b, a, 100, List.of(folder(b("known"), vector(bee, 5), 100)));
                } catch (java.io.IOException closedMeanwhile) {
                    continue;
                }
                long wait = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (a.volume.state().syncRecord(b("known")) == null && System.nanoTime() < wait) {
                    Thread.sleep(20);
                }
            }

            Map<String, SyncRecord> bad = new LinkedHashMap<>();
            bad.put("a path with '..' in it", folder(b("x/../../escape"), vector(bee, 7), 202));
            bad.put("an absolute path", folder(b("/etc/escape"), vector(bee, 7), 202));
            bad.put("a path with a NUL byte", folder(b("a\0b"), vector(bee, 7), 202));
            bad.put("a name of 300 bytes", folder(b("n".repeat(300)), vector(bee, 7), 202));
            bad.put("a path of 5000 bytes", folder(b("d/".repeat(2500).substring(0, 5000)), vector(bee, 7), 202));
            bad.put("a path with an empty name", folder(b("a//b"), vector(bee, 7), 202));
            bad.put("a record of a FIFO", new SyncRecord(b("pipe"), false, NodeType.FIFO, 0644, 0, 0, new Timestamp(1, 0), 0,
                    FileContent.EMPTY, new byte[0], List.of(), 0, bee, vector(bee, 7), 202));
            bad.put("whose version vector goes backwards", folder(b("known"), VersionVector.of(new long[]{bee, 99}, new long[]{3, 9}), 202));
            bad.put("sequence numbers go up", folder(b("late"), vector(bee, 7), 150));
            int round = 0;
            for (Map.Entry<String, SyncRecord> e : bad.entrySet()) {
                round++;
                // A good record first: it must not be applied either.
                List<SyncRecord> batch = new ArrayList<>();
                batch.add(folder(b("good" + round), vector(bee, 6), 201));
                batch.add(e.getValue());
                String refused = "refused a batch of 2 records from " + b.device.id().shortString() + ": ";
                int before = count(a.device.log(), refused);
                deadline = System.nanoTime() + WAIT.toNanos();
                // Sent again if it went out on a connection closed meanwhile (two dialled at once: one is dropped).
                while (count(a.device.log(), refused) == before) {
                    assertThat(System.nanoTime()).as(e.getKey() + ": never refused\n" + a.device.log()).isLessThan(deadline);
                    assertThat(b.device.awaitConnected(a.device, WAIT)).isTrue();
                    PeerConnection c = b.device.network.connections().connection(a.device.id()).orElse(null);
                    if (c == null) {
                        continue; // dropped between the check and here: the loop waits for the next
                    }
                    try {
                        send(c, b, 202, batch);
                    } catch (java.io.IOException closedMeanwhile) {
                        continue;
                    }
                    long wait = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    while (c.isOpen() && System.nanoTime() < wait) {
                        Thread.sleep(20);
                    }
                    assertThat(c.isOpen()).as(e.getKey() + ": the connection stays up\n" + a.device.log()).isFalse();
                }
                String log = a.device.log();
                assertThat(log.substring(log.lastIndexOf(refused))).as(e.getKey()).contains(e.getKey());
                assertThat(a.volume.state().syncRecord(b("good" + round))).as(e.getKey()).isNull();
                assertThat(a.root().child("good" + round)).as(e.getKey()).isEmpty();
            }
            assertThat(a.root().child("escape")).isEmpty();
            assertThat(a.root().child("pipe")).isEmpty();
            assertThat(a.volume.state().syncRecord(b("known")).vector().counterOf(bee)).isEqualTo(5);
        }
    }

    private static VersionVector vector(long device, long counter) {
        return VersionVector.of(new long[]{device}, new long[]{counter});
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void send(VolumePeer from, VolumePeer to, long through, List<SyncRecord> records) throws Exception {
        send(from.device.network.connections().connection(to.device.id())
                .orElseThrow(() -> new java.io.IOException("no connection to " + to.device.id() + " just now")), from, through, records);
    }

    private static void send(PeerConnection c, VolumePeer from, long through, List<SyncRecord> records) throws Exception {
        List<byte[]> encoded = records.stream().map(SyncRecord::encode).toList();
        c.send(new VolumeMessages.Records(from.shared.id(), through, through, encoded).encode());
    }
}
