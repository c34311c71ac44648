package dev.strata.sync.volumes;

import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.testing.RandomData;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.state.VersionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.strata.sync.volumes.VolumePeer.ME;
import static dev.strata.sync.volumes.VolumePeer.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two devices, each with a repository of its own, share a volume over loopback: what one does
 * appears on the other — files, folders, symlinks, hard links, modes, times, xattrs, holes, renames,
 * deletes — and a conflict ends with one result on both and the other content in the versions.
 */
@Timeout(180)
class VolumeSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static VolumeKeys keys() {
        return VolumeKeys.generate(RandomData.bytes(11, 16), 4096, 16384, 65536);
    }

    static VolumeKeys copy(VolumeKeys k) throws Exception {
        return VolumeKeys.fromPlaintext(k.volumeId(), k.plaintext());
    }

    /** Waits until both sides describe the same tree; returns it. */
    static Map<String, String> awaitSame(VolumePeer a, VolumePeer b) throws Exception {
        return awaitSame(a, b, WAIT);
    }

    /** Waits up to {@code wait} until both sides describe the same tree; returns it. */
    static Map<String, String> awaitSame(VolumePeer a, VolumePeer b, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Map<String, String> da;
            Map<String, String> db;
            try {
                da = a.describe();
                db = b.describe();
            } catch (java.io.IOException changing) {
                Thread.sleep(50); // a name went while the tree was walked: changes are still arriving
                continue;
            }
            if (da.equals(db)) {
                return da;
            }
            if (System.nanoTime() > deadline) {
                assertThat(db).as("the second device's tree, log:\n" + a.device.log() + "\n---\n" + b.device.log())
                        .isEqualTo(da);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void everyKindOfChange_travelsBothWays_andOnlyMissingChunksCrossTheWire() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            ViewNode ra = a.root();
            byte[] big = RandomData.bytes(1, 600_000);
            write(ra, "big.bin", big);
            ra.mkdir("docs", 0750, ME);
            ViewNode docs = ra.child("docs").orElseThrow();
            write(docs, "note.txt", b("hello"));
            docs.child("note.txt").orElseThrow().setMode(0600);
            docs.child("note.txt").orElseThrow().setXattr("user.tag", b("blue"));
            ra.symlink("link", b("docs/note.txt"), ME);
            docs.link("hard.txt", docs.child("note.txt").orElseThrow());
            try (OpenFile f = ra.create("sparse", 0644, ME)) {
                f.write(3 << 20, b("end"), 0, 3); // a hole of 3 MiB, then three bytes
            }
            Map<String, String> tree = awaitSame(a, b);
            assertThat(tree).containsKeys("big.bin", "docs", "docs/note.txt", "docs/hard.txt", "link", "sparse");
            assertThat(tree.get("docs/hard.txt")).contains("links 2").contains("xattr user.tag");
            assertThat(tree.get("docs")).startsWith("DIRECTORY 750");
            assertThat(VolumePeer.read(b.root().child("big.bin").orElseThrow())).isEqualTo(big);

            // Back the other way: an edit and a new file made on b.
            ViewNode rb = b.root();
            byte[] edited = big.clone();
            edited[300_000] ^= 1;
            try (OpenFile f = rb.child("big.bin").orElseThrow().openForWriting()) {
                f.write(300_000, edited, 300_000, 1);
            }
            write(rb, "from-b", b("made on b"));
            awaitSame(a, b);
            assertThat(VolumePeer.read(a.root().child("big.bin").orElseThrow())).isEqualTo(edited);
            assertThat(a.volume.state().versions(b("big.bin"))).hasSize(2);

            // A rename costs no chunk: nothing new is stored on the other side.
            String storedBefore = storedLines(b);
            ra.rename("big.bin", a.root().child("docs").orElseThrow(), "moved.bin");
            Map<String, String> afterRename = awaitSame(a, b);
            assertThat(afterRename).doesNotContainKey("big.bin").containsKey("docs/moved.bin");
            assertThat(storedLines(b)).isEqualTo(storedBefore);

            // Deletes: a file and a folder.
            rb.remove("from-b", false);
            rb.child("docs").orElseThrow().remove("hard.txt", false);
            assertThat(awaitSame(a, b)).doesNotContainKeys("from-b", "docs/hard.txt");
            assertThat(a.volume.state().syncConflicts()).isEmpty();
            awaitProgressInSync(a);
            awaitProgressInSync(b);
        }
    }

    /** Waits until {@code p} has sent all and applied all with its one peer. */
    private static void awaitProgressInSync(VolumePeer p) throws Exception {
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

    private static String storedLines(VolumePeer p) {
        StringBuilder s = new StringBuilder();
        for (String line : p.device.log().split("\n")) {
            if (line.contains(" stored ")) {
                s.append(line.substring(line.indexOf(" stored "))).append('\n');
            }
        }
        return s.toString();
    }

    @Test
    void theSameFileChangedOnBothSidesWhileApart_endsTheSameOnBoth_andTheOtherContentIsAVersion() throws Exception {
        VolumeKeys keys = keys();
        Path da = tmp.resolve("a");
        Path db = tmp.resolve("b");
        try (VolumePeer a = new VolumePeer("a", da, keys);
             VolumePeer b = new VolumePeer("b", db, copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            write(a.root(), "f.txt", b("first"));
            write(a.root(), "gone.txt", b("to be deleted on a, edited on b"));
            awaitSame(a, b);

            // Apart: the volumes stop talking to each other.
            a.sharedWith.clear();
            b.sharedWith.clear();
            Thread.sleep(300);
            VolumePeer.put(a.root(), "f.txt", b("edited on a"));
            Thread.sleep(20);
            VolumePeer.put(b.root(), "f.txt", b("edited on b, later"));
            a.root().remove("gone.txt", false);
            VolumePeer.put(b.root(), "gone.txt", b("edited on b"));
            VolumePeer.put(a.root(), "new.txt", b("new on a"));
            VolumePeer.put(b.root(), "new.txt", b("new on b, later"));

            // Together again: ask each other for what they missed.
            a.sharedWith.add(b.device.id());
            b.sharedWith.add(a.device.id());
            reconnect(a, b);
            Map<String, String> tree = awaitSame(a, b);
            // The trees agree as soon as one side took the other's content; the outcome's records follow.
            awaitProgressInSync(a);
            awaitProgressInSync(b);
            assertThat(new String(VolumePeer.read(a.root().child("f.txt").orElseThrow()))).isEqualTo("edited on b, later");
            assertThat(new String(VolumePeer.read(a.root().child("gone.txt").orElseThrow()))).isEqualTo("edited on b");
            assertThat(new String(VolumePeer.read(a.root().child("new.txt").orElseThrow()))).isEqualTo("new on b, later");
            assertThat(tree).containsKeys("f.txt", "gone.txt", "new.txt");
            for (VolumePeer p : List.of(a, b)) {
                assertThat(contents(p, "f.txt")).contains("edited on a", "edited on b, later");
                assertThat(contents(p, "new.txt")).contains("new on a", "new on b, later");
            }
            // Each conflict is listed where it was decided: by one side, or by both if they decided at once.
            java.util.Set<String> decided = new java.util.TreeSet<>();
            for (VolumePeer p : List.of(a, b)) {
                p.volume.state().syncConflicts().forEach(c -> decided.add(c.printablePath()));
            }
            assertThat(decided).containsExactly("f.txt", "gone.txt", "new.txt");
            Thread.sleep(500);
            assertThat(awaitSame(a, b)).isEqualTo(tree);
        }
    }

    /** A file saved several times in a row while the devices are connected: every content saved is in the other's history. */
    @Test
    void everyContentSavedWhileConnected_reachesThePeersVersions() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            a.shareWith(b);
            b.shareWith(a);
            assertThat(a.device.awaitConnected(b.device, WAIT)).isTrue();
            write(a.root(), "f", b("save 0"));
            awaitSame(a, b);
            for (int i = 1; i <= 8; i++) {
                VolumePeer.put(a.root(), "f", b("save " + i)); // faster than the senders look
            }
            awaitSame(a, b);
            awaitProgressInSync(a);
            awaitProgressInSync(b);
            List<String> saved = contents(a, "f");
            assertThat(saved).hasSize(9);
            assertThat(contents(b, "f")).as("b's versions of f\n" + b.device.log()).containsAll(saved);
            assertThat(a.volume.state().syncConflicts()).isEmpty();
            assertThat(b.volume.state().syncConflicts()).isEmpty();
        }
    }

    /**
     * A transfer of several batches, their chunks in flight together, cut while it is under way: what
     * was applied stays, the rest is asked for again from the resume point, and both sides end the same.
     */
    @Test
    void aTransferOfSeveralBatches_cutWhileUnderWay_resumesAndEndsTheSame() throws Exception {
        VolumeKeys keys = keys();
        try (VolumePeer a = new VolumePeer("a", tmp.resolve("a"), keys);
             VolumePeer b = new VolumePeer("b", tmp.resolve("b"), copy(keys))) {
            ViewNode ra = a.root();
            int files = 3 * SharedVolume.BATCH + 500;
            for (int i = 0; i < files; i++) {
                write(ra, "f" + i, RandomData.bytes(10_000 + i, 3_000));
            }
            a.shareWith(b);
            b.shareWith(a);
            long cutAt = -1;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                long applied = b.shared.resumePoint(a.device.id());
                if (applied > 0) {
                    cutAt = applied;
                    b.reconnect(a);
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(cutAt).as("b applied a first batch, not yet the last").isPositive().isLessThan(a.shared.sequence());
            Map<String, String> tree = awaitSame(a, b, Duration.ofSeconds(90));
            assertThat(tree).hasSize(files);
            assertThat(b.shared.resumePoint(a.device.id())).isGreaterThanOrEqualTo(cutAt);
        }
    }

    /** The contents of every version of {@code path} on {@code p}. */
    static List<String> contents(VolumePeer p, String path) throws IOException {
        ViewNode history = p.volume.history(null);
        List<String> out = new java.util.ArrayList<>();
        for (VersionRecord v : p.volume.state().versions(b(path))) {
            out.add(new String(p.volume.trees().chunks() == null ? new byte[0] : readVersion(p, v)));
        }
        return out;
    }

    private static byte[] readVersion(VolumePeer p, VersionRecord v) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (var ref : p.volume.trees().refs(v.content())) {
            out.writeBytes(ref.isHole() ? new byte[(int) ref.length()] : p.volume.trees().chunks().get(ref.id()));
        }
        return out.toByteArray();
    }

    private static void reconnect(VolumePeer a, VolumePeer b) throws Exception {
        a.device.network.connections().connection(b.device.id()).ifPresent(c -> c.close("a test reconnects"));
        assertThat(a.device.awaitConnected(b.device, WAIT)).isTrue();
    }
}
