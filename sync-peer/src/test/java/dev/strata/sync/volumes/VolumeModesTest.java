package dev.strata.sync.volumes;

import dev.strata.core.crypto.VolumeKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.strata.sync.volumes.VolumePeer.write;
import static dev.strata.sync.volumes.VolumeSyncTest.awaitSame;
import static dev.strata.sync.volumes.VolumeSyncTest.contents;
import static dev.strata.sync.volumes.VolumeSyncTest.copy;
import static dev.strata.sync.volumes.VolumeSyncTest.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modes of a shared volume between two real devices on loopback (docs/sync.md, "Modes"): a
 * send-only device sends its changes and applies none of its peers'; a receive-only device applies its
 * peers' changes and sends none of its own, until a revert puts the peers' state back over them, the
 * local edits staying in the versions.
 */
@Timeout(180)
class VolumeModesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(VolumePeer p, String name) throws Exception {
        return new String(VolumePeer.read(p.root().child(name).orElseThrow()), StandardCharsets.UTF_8);
    }

    /** Waits until {@code p} has sent every change it has and applied every one its peer said it has. */
    private static VolumeProgress awaitPassed(VolumePeer p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<VolumeProgress> progress = p.service.progress();
            if (progress.size() == 1 && progress.get(0).peers().size() == 1
                    && progress.get(0).peers().get(0).inSync(progress.get(0).sequence())) {
                return progress.get(0);
            }
            assertThat(System.nanoTime()).as("in sync: " + progress + "\n" + p.device.log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aSendOnlyDevice_sendsItsChanges_andAppliesNoneOfItsPeers() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shared.mode(ShareBook.Mode.SEND_ONLY);
            a.shareWith(b);
            b.shareWith(a);
            write(a.root(), "f", b("made on a"));
            awaitSame(a, b);

            VolumePeer.put(b.root(), "f", b("edited on b"));
            write(b.root(), "from-b", b("made on b"));
            awaitPassed(b);
            VolumeProgress pa = awaitPassed(a);

            assertThat(text(a, "f")).isEqualTo("made on a");
            assertThat(a.root().child("from-b")).isEmpty();
            assertThat(pa.mode()).isEqualTo("send-only");
            assertThat(pa.held()).as("paths whose peers' changes were not applied").isEqualTo(2);
            assertThat(a.device.log()).contains("volume docs is send-only here: f from " + b.device.id().shortString()
                    + " not applied");

            // Its own changes still travel.
            VolumePeer.put(a.root(), "f", b("edited on a, later"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!text(b, "f").equals("edited on a, later")) {
                assertThat(System.nanoTime()).as(b.device.log()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aReceiveOnlyDevice_keepsItsChanges_untilARevertPutsThePeersStateBack_andTheyStayVersions() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            b.shared.mode(ShareBook.Mode.RECEIVE_ONLY);
            a.shareWith(b);
            b.shareWith(a);
            write(a.root(), "f", b("made on a"));
            write(a.root(), "g", b("to be deleted on b"));
            a.root().mkdir("d", 0755, VolumePeer.ME);
            Map<String, String> shared = awaitSame(a, b);

            // Changes made on the receive-only device: an edit, a delete, a new file in a new folder.
            VolumePeer.put(b.root(), "f", b("edited on b"));
            b.root().remove("g", false);
            b.root().mkdir("new", 0755, VolumePeer.ME);
            write(b.root().child("new").orElseThrow(), "n", b("made on b"));
            VolumeProgress pb = awaitPassed(b);
            awaitPassed(a);
            assertThat(a.describe()).isEqualTo(shared);
            assertThat(pb.mode()).isEqualTo("receive-only");
            assertThat(pb.held()).as("paths changed here and not sent").isGreaterThanOrEqualTo(4);

            // The peer's changes still arrive.
            write(a.root(), "from-a", b("made on a, later"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (b.root().child("from-a").isEmpty()) {
                assertThat(System.nanoTime()).as(b.device.log()).isLessThan(deadline);
                Thread.sleep(50);
            }

            Instant asked = Instant.now();
            assertThat(b.service.revert(b.shared, asked)).isTrue();
            deadline = System.nanoTime() + WAIT.toNanos();
            while (!b.shared.reverted(asked)) {
                assertThat(System.nanoTime()).as(b.device.log()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(awaitSame(a, b)).containsKeys("f", "g", "d", "from-a").doesNotContainKeys("new", "new/n");
            assertThat(text(b, "f")).isEqualTo("made on a");
            assertThat(contents(b, "f")).contains("edited on b", "made on a");
            assertThat(contents(b, "new/n")).containsExactly("made on b");
            assertThat(b.service.progress().get(0).held()).isZero();
            assertThat(b.device.log()).contains("volume docs: reverted: ");
            // Nothing the revert did travels back as a change: a's tree stays as it was.
            awaitPassed(b);
            assertThat(a.describe()).isEqualTo(awaitSame(a, b));
        }
    }
}
