package dev.strata.fstests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code peers/<device>/<volume>/} in two real whole-repository mounts of two devices that share a
 * volume: each shows what the other holds (tree, contents, read-only), follows its changes, and keeps
 * the last state once the other device is gone. Every mount is unmounted in every case.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyncPeersViewIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void eachMountShowsWhatThePeerHolds_andKeepsItWhenThePeerIsGone() throws Exception {
        try (SyncDevice ana = new SyncDevice(tmp.resolve("ana")); SyncDevice bob = new SyncDevice(tmp.resolve("bob"))) {
            SyncDevice.shareDocs(ana, bob, WAIT);
            String anaId = ana.id();
            String bobId = bob.id();

            MountProcess ma = ana.mountSyncing();
            try (MountProcess mb = bob.mountSyncing()) {
                try {
                    Path anaDocs = ma.mountpoint.resolve("volumes/docs");
                    Random random = new Random(11);
                    byte[] big = new byte[2_500_000];
                    random.nextBytes(big);
                    Files.write(anaDocs.resolve("big.bin"), big);
                    Files.createDirectories(anaDocs.resolve("notes"));
                    Files.writeString(anaDocs.resolve("notes/todo.txt"), "first\n");
                    Files.createSymbolicLink(anaDocs.resolve("link"), Path.of("notes/todo.txt"));

                    Path anaSeenByBob = mb.mountpoint.resolve("peers").resolve(anaId).resolve("docs");
                    awaitSame(anaDocs, anaSeenByBob, mb);
                    assertThat(Files.list(mb.mountpoint.resolve("peers")).map(p -> p.getFileName().toString()))
                            .containsExactly(anaId);
                    assertThat(Files.readAllBytes(anaSeenByBob.resolve("big.bin"))).isEqualTo(big);
                    assertThatThrownBy(() -> Files.writeString(anaSeenByBob.resolve("notes/todo.txt"), "no"))
                            .isInstanceOf(IOException.class);
                    assertThatThrownBy(() -> Files.createFile(anaSeenByBob.resolve("new"))).isInstanceOf(IOException.class);

                    // A change on bob shows in ana's view of bob; a rename and a delete on ana in bob's view of ana.
                    Files.writeString(mb.mountpoint.resolve("volumes/docs/from-bob.txt"), "made on bob\n");
                    Path bobSeenByAna = ma.mountpoint.resolve("peers").resolve(bobId).resolve("docs");
                    Files.move(anaDocs.resolve("big.bin"), anaDocs.resolve("notes/moved.bin"));
                    Files.delete(anaDocs.resolve("link"));
                    awaitSame(anaDocs, anaSeenByBob, mb);
                    awaitSame(mb.mountpoint.resolve("volumes/docs"), bobSeenByAna, ma);
                    assertThat(describe(anaSeenByBob)).containsKeys("notes/moved.bin", "from-bob.txt")
                            .doesNotContainKeys("big.bin", "link");
                    Map<String, String> last = describe(anaDocs);

                    // Ana gone: bob's view of ana keeps ana's last state, and reads (bob holds its chunks).
                    ma.close();
                    assertThat(describe(anaSeenByBob)).isEqualTo(last);
                    assertThat(Files.readAllBytes(anaSeenByBob.resolve("notes/moved.bin"))).isEqualTo(big);
                } finally {
                    ma.close();
                }
            }
        }
    }


    /** Path → type and content digest (files), target (symlinks): what the view must show alike. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, "file " + Files.size(p) + " " + TreeCompare.sha256(p));
                }
            }
        }
        return out;
    }

    private static void awaitSame(Path expected, Path view, MountProcess m) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> want = Map.of();
        Map<String, String> seen = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                want = describe(expected);
                seen = describe(view);
                if (want.equals(seen)) {
                    return;
                }
            } catch (IOException | java.io.UncheckedIOException changing) {
                // a name went while the tree was walked, or the view is not there yet
            }
            Thread.sleep(100);
        }
        assertThat(seen).as(view + " against " + expected + "\n" + m.log()).isEqualTo(want);
    }
}
