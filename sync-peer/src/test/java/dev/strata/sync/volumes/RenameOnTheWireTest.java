package dev.strata.sync.volumes;

import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.testing.RandomData;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.sync.net.PeerConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strata.sync.volumes.VolumeSyncTest.awaitSame;
import static dev.strata.sync.volumes.VolumeSyncTest.copy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 MiB file renamed into another folder on one device, with the default chunk sizes of a
 * shareable volume: the other device applies it as a rename of the file it holds (the same inode, a
 * handle open on it follows), and the connection carries at most 64 KiB for it, both ways together.
 */
@Timeout(300)
class RenameOnTheWireTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int SIZE = 100 << 20;

    @TempDir
    Path tmp;

    @Test
    void aRenamedHundredMebibyteFile_isRenamedOnThePeer_forAtMost64KiBOnTheWire() throws Exception {
        ChunkerParams p = ChunkerParams.DEFAULT;
        VolumeKeys keys = VolumeKeys.generate(RandomData.bytes(5, 16), p.minSize(), p.avgSize(), p.maxSize());
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            byte[] big = RandomData.bytes(9, SIZE);
            try (OpenFile f = a.root().create("big.bin", 0644, VolumePeer.ME)) {
                for (int at = 0; at < SIZE; at += 1 << 20) {
                    f.write(at, big, at, 1 << 20);
                }
            }
            a.root().mkdir("docs", 0755, VolumePeer.ME);
            awaitSame(a, b, WAIT);
            awaitInSync(a);
            awaitInSync(b);
            long recordsBefore = a.service.progress().get(0).sequence();
            awaitApplied(b, a, recordsBefore);
            ViewNode before = b.root().child("big.bin").orElseThrow();
            long inode = before.attributes().inode();

            int renames = 0;
            try (OpenFile reader = before.open()) {
                // Measured on one connection; under a heavy load a connection may be taken for dead (no ping
                // within the idle time) and replaced mid-measurement, and then another rename is measured.
                ViewNode from = a.root();
                String name = "big.bin";
                while (true) {
                    renames++;
                    PeerConnection c = awaitConnection(a, b);
                    long sent = c.bytesSent();
                    long received = c.bytesReceived();
                    String movedName = "moved-" + renames + ".bin";
                    ViewNode docs = a.root().child("docs").orElseThrow();
                    from.rename(name, docs, movedName);
                    from = docs;
                    name = movedName;
                    awaitSame(a, b, WAIT);
                    awaitInSync(a);
                    awaitInSync(b);
                    if (!c.isOpen()) {
                        System.out.println("the connection ended during rename " + renames + " (" + c.endReason()
                                + "): measuring another");
                        assertThat(renames).as("renames measured on a connection that ended").isLessThan(3);
                        continue;
                    }
                    long wire = c.bytesSent() - sent + c.bytesReceived() - received;
                    System.out.println("a renamed 100 MiB file: " + wire + " bytes on the wire, both ways ("
                            + (c.bytesSent() - sent) + " sent, " + (c.bytesReceived() - received) + " received)");
                    assertThat(wire).isLessThanOrEqualTo(64 << 10);
                    break;
                }

                ViewNode moved = b.root().child("docs").orElseThrow().child(name).orElseThrow();
                assertThat(moved.attributes().inode()).as("the file renamed, not made anew").isEqualTo(inode);
                assertThat(b.root().child("big.bin")).isEmpty();
                byte[] head = new byte[4096];
                reader.read(SIZE - 4096, 4096, new dev.strata.core.view.ReadSink() {
                    @Override
                    public void put(int pos, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, head, pos, length);
                    }

                    @Override
                    public void zero(int pos, int length) {
                    }
                });
                assertThat(head).isEqualTo(java.util.Arrays.copyOfRange(big, SIZE - 4096, SIZE));
            }
            // Records are per path: the old path's tombstone and the new path's record, at times with one for
            // the folder moved into (its time changed); batches may split or join under load.
            long made = a.service.progress().get(0).sequence() - recordsBefore;
            assertThat(made).as("records the renames made").isBetween((long) renames, 3L * renames);
            awaitApplied(b, a, recordsBefore + made);
        }
    }

    private static PeerConnection awaitConnection(VolumePeer from, VolumePeer to) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            java.util.Optional<PeerConnection> c = from.device.network.connections().connection(to.device.id());
            if (c.isPresent()) {
                return c.get();
            }
            assertThat(System.nanoTime()).as("connected again").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until {@code to}'s log says it applied {@code count} records of {@code from} in all. */
    private static void awaitApplied(VolumePeer to, VolumePeer from, long count) throws Exception {
        Pattern applied = Pattern.compile("applied (\\d+) records? from " + from.device.id().shortString());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long total = 0;
            Matcher m = applied.matcher(to.device.log());
            while (m.find()) {
                total += Long.parseLong(m.group(1));
            }
            if (total == count) {
                return;
            }
            assertThat(total).as("records applied, of " + count + ":\n" + to.device.log()).isLessThan(count);
            assertThat(System.nanoTime()).as(count + " records applied:\n" + to.device.log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitInSync(VolumePeer p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<VolumeProgress> progress = p.service.progress();
            if (progress.size() == 1 && progress.get(0).peers().size() == 1
                    && progress.get(0).peers().get(0).inSync(progress.get(0).sequence())) {
                return;
            }
            assertThat(System.nanoTime()).as("in sync: " + progress).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
