package dev.strata.volume;

import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.volume.history.Rollback;
import dev.strata.volume.view.ViewOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeHomeTest {
    private static final Caller ME = new Caller(1000, 1000);

    @TempDir
    Path dir;
    private Repository repo;
    private VolumeCatalog catalog;
    private TreeStore trees;

    @BeforeEach
    void init() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        trees = new TreeStore(repo.store());
        catalog = new VolumeCatalog(new Snapshots(repo), trees, HostIdentity.current(), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    private VolumeHome open(String name) throws IOException {
        return VolumeHome.open(repo, catalog, catalog.require(name), dir.resolve("state"), trees, Clock.systemUTC(), l -> { }, false, "");
    }

    @Test
    void createListRemove() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        catalog.create("photos", VolumeSettings.DEFAULT);
        assertThat(catalog.list()).extracting(VolumeCatalog.Entry::name).containsExactly("docs", "photos");
        assertThatThrownBy(() -> catalog.create("docs", VolumeSettings.DEFAULT)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("already exists");
        catalog.remove(catalog.require("docs"));
        assertThat(catalog.list()).extracting(VolumeCatalog.Entry::name).containsExactly("photos");
        assertThatThrownBy(() -> catalog.require("docs")).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("there are: photos");
        assertThatThrownBy(() -> catalog.create("../x", VolumeSettings.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    private java.util.Optional<dev.strata.core.repo.Lease> lease(String name) throws IOException {
        return dev.strata.core.repo.Lease.read(repo.backend(), repo.key(), catalog.require(name).record().volumeIdHex());
    }

    private long checkpoints() throws IOException {
        return new Snapshots(repo).list().stream().filter(s -> s.kind() == SnapshotKind.VOLUME).count();
    }

    @Test
    void anOpenVolumeHoldsALease_thatAFailedCloseKeeps_andTheNextOpenCheckpointsWhatItLeftBehind() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        try (VolumeHome home = open("docs")) {
            assertThat(lease("docs")).isPresent();
            assertThat(lease("docs").orElseThrow().owner()).isEqualTo("volume docs");
        }
        assertThat(lease("docs")).as("a clean close, after its checkpoint, gives the lease up").isEmpty();

        // A process that dies leaves its lease, and changes no checkpoint has.
        try (VolumeHome home = open("docs")) {
            write(home.volume().root(), "unsaved.txt", "written, closed, never checkpointed");
            home.volume().data().flush();
            dev.strata.core.repo.Lease left = lease("docs").orElseThrow();
            byte[] blob = repo.backend().get(left.blobName());
            home.close();
            repo.backend().put(left.blobName(), blob);
        }
        long before = checkpoints();
        try (VolumeHome home = open("docs")) {
            assertThat(checkpoints()).as("the next open checkpoints what the dead process left").isEqualTo(before + 1);
        }
    }

    @Test
    void aCondemnation_isLearnedAfterACheckpointOfWhatTheVolumeRefersTo() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        try (VolumeHome home = open("docs")) {
            write(home.volume().root(), "a.txt", "refers to a chunk no checkpoint has yet");
            var c = dev.strata.core.repo.Condemnation.of(java.util.Set.of(dev.strata.core.id.PackId.random()),
                    Instant.now(), "h");
            c.write(repo.backend(), repo.key());
            assertThat(lease("docs").orElseThrow().knows()).doesNotContain(c.id());
            long before = checkpoints();
            home.learnCondemnations(true);
            assertThat(checkpoints()).as("checkpointed first").isEqualTo(before + 1);
            assertThat(lease("docs").orElseThrow().knows()).contains(c.id());
            // Nothing changed since: the next condemnation is learned without a checkpoint.
            var d = dev.strata.core.repo.Condemnation.of(java.util.Set.of(dev.strata.core.id.PackId.random()),
                    Instant.now(), "h");
            d.write(repo.backend(), repo.key());
            home.learnCondemnations(true);
            assertThat(checkpoints()).isEqualTo(before + 1);
            assertThat(lease("docs").orElseThrow().knows()).contains(c.id(), d.id());
        }
    }

    @Test
    void aVolumeWhoseLocalStateIsLost_opensAgainFromItsLastCheckpoint_withItsHistory() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        try (VolumeHome home = open("docs")) {
            ViewNode root = home.volume().root();
            root.mkdir("letters", 0750, ME);
            ViewNode letters = root.child("letters").orElseThrow();
            write(letters, "a.txt", "first");
            write(letters.child("a.txt").orElseThrow(), "second draft");
            letters.link("same.txt", letters.child("a.txt").orElseThrow());
            root.symlink("shortcut", "letters/a.txt".getBytes(StandardCharsets.UTF_8), ME);
            Snapshot cp = home.checkpoint();
            assertThat(cp.kind()).isEqualTo(SnapshotKind.VOLUME);
            assertThat(cp.paths()).containsExactly("volume-docs");
        }
        deleteTree(dir.resolve("state"));
        try (VolumeHome home = open("docs")) {
            ViewNode root = home.volume().root();
            ViewNode a = root.child("letters").orElseThrow().child("a.txt").orElseThrow();
            assertThat(text(a)).isEqualTo("second draft");
            assertThat(a.attributes().links()).isEqualTo(2);
            assertThat(root.child("letters").orElseThrow().attributes().mode()).isEqualTo(0750);
            assertThat(root.child("shortcut").orElseThrow().readLink()).isEqualTo("letters/a.txt".getBytes(StandardCharsets.UTF_8));
            ViewNode versions = home.volume().history(new ViewOwner(0, 0, dev.strata.core.tree.Timestamp.EPOCH))
                    .child("letters").orElseThrow().child("a.txt").orElseThrow();
            assertThat(versions.list()).hasSize(2);
            assertThat(text(versions.child(versions.list().get(0).name()).orElseThrow())).isEqualTo("first");
            // The restored volume keeps working: a new version after the restored ones.
            write(root.child("letters").orElseThrow().child("a.txt").orElseThrow(), "third");
            assertThat(versions.list()).hasSize(3);
        }
    }

    @Test
    void rollbackOfAMassDeleteAndOverwrite_bringsEveryFileBackByteIdentical_andKeepsWhatWasThere() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(7);
        Instant good;
        try (VolumeHome home = open("docs")) {
            ViewNode root = home.volume().root();
            root.mkdir("a", 0755, ME);
            root.child("a").orElseThrow().mkdir("b", 0700, ME);
            for (int i = 0; i < 40; i++) {
                byte[] data = new byte[random.nextInt(200_000)];
                random.nextBytes(data);
                String folder = i % 3 == 0 ? "" : i % 3 == 1 ? "a/" : "a/b/";
                ViewNode f = folder.isEmpty() ? root : resolve(root, folder.substring(0, folder.length() - 1));
                write(f, "f" + i + ".bin", data);
                before.put(folder + "f" + i + ".bin", data);
            }
            home.checkpoint();
            good = Instant.now();
            // A ransomware-style run: every file overwritten, then half of them deleted, plus a new note.
            for (String path : before.keySet()) {
                write(resolve(root, path), "encrypted!");
            }
            int n = 0;
            for (String path : before.keySet()) {
                if (n++ % 2 == 0) {
                    int slash = path.lastIndexOf('/');
                    ViewNode folder = slash < 0 ? root : resolve(root, path.substring(0, slash));
                    folder.remove(path.substring(slash + 1), false);
                }
            }
            write(root, "README-PAY.txt", "pay up".getBytes(StandardCharsets.UTF_8));

            Rollback.Result r = home.rollback(good);
            assertThat(r.filesRestored()).isEqualTo(40);
            for (Map.Entry<String, byte[]> e : before.entrySet()) {
                assertThat(bytes(resolve(root, e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(root.child("README-PAY.txt")).isEmpty();
            assertThat(resolve(root, "a/b").attributes().mode()).isEqualTo(0700);
            // Nothing is lost: the overwritten contents and the note are in the history.
            ViewNode versions = home.volume().history(new ViewOwner(0, 0, dev.strata.core.tree.Timestamp.EPOCH));
            assertThat(versions.child("README-PAY.txt")).isPresent();
            assertThat(versions.child("f0.bin").orElseThrow().list()).hasSize(3);
        }
    }

    @Test
    void aMassDelete_isOneWarningInTheLog_whoseRollbackBringsEveryFileBackByteIdentical() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT.withBurst(50, java.time.Duration.ofMinutes(1)));
        java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
        java.util.Random random = new java.util.Random(11);
        try (VolumeHome home = VolumeHome.open(repo, catalog, catalog.require("docs"), dir.resolve("state"), trees,
                Clock.systemUTC(), log::add, false, "--repo /somewhere")) {
            ViewNode root = home.volume().root();
            root.mkdir("photos", 0755, ME);
            for (int i = 0; i < 80; i++) {
                byte[] data = new byte[1 + random.nextInt(100_000)];
                random.nextBytes(data);
                String path = (i % 2 == 0 ? "photos/" : "") + "f" + i;
                write(i % 2 == 0 ? root.child("photos").orElseThrow() : root, "f" + i, data);
                before.put(path, data);
            }
            for (String path : before.keySet()) {
                ViewNode folder = path.startsWith("photos/") ? root.child("photos").orElseThrow() : root;
                folder.remove(path.substring(path.indexOf('/') + 1), false);
            }
            root.remove("photos", true);
            assertThat(log).as("one warning for the burst of 81").hasSize(1);
            String line = log.get(0);
            assertThat(line).contains("50 files deleted or overwritten").endsWith("' --repo /somewhere");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("strata volume rollback docs --to '([^']+)'")
                    .matcher(line);
            assertThat(m.find()).as(line).isTrue();
            home.rollback(Instant.parse(m.group(1)));
            for (Map.Entry<String, byte[]> e : before.entrySet()) {
                assertThat(bytes(resolve(root, e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(log).as("a rollback is no burst").hasSize(1);
        }
    }

    private static ViewNode resolve(ViewNode root, String path) throws IOException {
        ViewNode at = root;
        for (String part : path.split("/")) {
            at = at.child(part).orElseThrow();
        }
        return at;
    }

    @Test
    void aVolumeOpenInOneProcess_isRefusedToAnother() throws IOException {
        catalog.create("docs", VolumeSettings.DEFAULT);
        try (VolumeHome home = open("docs")) {
            // A second open in this JVM meets the same file lock a second process would.
            assertThatThrownBy(() -> open("docs")).isInstanceOf(Exception.class);
        }
    }

    private static void write(ViewNode folder, String name, String text) throws IOException {
        write(folder, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(ViewNode folder, String name, byte[] b) throws IOException {
        try (OpenFile f = folder.create(name, 0644, ME)) {
            f.write(0, b, 0, b.length);
        }
    }

    private static void write(ViewNode file, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (OpenFile f = file.openForWriting()) {
            f.truncate(0);
            f.write(0, b, 0, b.length);
        }
    }

    private static String text(ViewNode file) throws IOException {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ViewNode file) throws IOException {
        int size = (int) file.attributes().size();
        byte[] out = new byte[size];
        try (OpenFile f = file.open()) {
            f.read(0, size, new ReadSink() {
                @Override
                public void put(int at, byte[] src, int srcOffset, int length) {
                    System.arraycopy(src, srcOffset, out, at, length);
                }

                @Override
                public void zero(int at, int length) {
                    Arrays.fill(out, at, at + length, (byte) 0);
                }
            });
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
