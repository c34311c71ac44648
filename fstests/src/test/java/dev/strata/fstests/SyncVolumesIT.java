package dev.strata.fstests;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shared volume between real {@code strata sync run} processes on loopback, each device with its
 * own repository, password and HOME: one shares a volume written through its mount, the other joins
 * it (the keys sent over the pinned channel) and is filled; a device it is not shared with is
 * refused; an edit made in the joined volume's mount travels back. Every mount is unmounted in every
 * case.
 */
// It measures latency: it runs after the other tests, alone, so that they do not load the machine meanwhile.
@Tag("latency")
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyncVolumesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void aJoinedVolume_isFilledWithTheSharedOne_andAnEditTravelsBack() throws Exception {
        try (SyncDevice ana = new SyncDevice(tmp.resolve("ana")); SyncDevice bob = new SyncDevice(tmp.resolve("bob"));
             SyncDevice eve = new SyncDevice(tmp.resolve("eve"))) {
            for (SyncDevice d : List.of(ana, bob, eve)) {
                d.run("init");
            }
            String anaId = ana.id();
            String bobId = bob.id();
            String eveId = eve.id();
            ana.run("sync", "add-peer", bobId, bob.address());
            ana.run("sync", "add-peer", eveId, eve.address());
            bob.run("sync", "add-peer", anaId, ana.address());
            eve.run("sync", "add-peer", anaId, ana.address());
            ana.run("volume", "create", "docs", "--shareable");
            try (MountProcess m = mount(ana)) {
                fill(m.mountpoint);
            }

            ana.run("sync", "share", "docs", "--with", bobId);
            bob.run("sync", "join", "docs", "--from", anaId);
            eve.run("sync", "join", "docs", "--from", anaId);
            ana.start();
            bob.start();
            eve.start();
            bob.awaitLog("joined volume docs", WAIT);
            bob.awaitLog("volume docs: applied", WAIT);
            eve.awaitLog("refused: volume 'docs' is not shared with device " + eveId.substring(0, 7), WAIT);
            ana.awaitLog("refused the keys of volume 'docs' to " + eveId.substring(0, 7), WAIT);
            Thread.sleep(3000); // the records come in one batch; let the last be applied
            assertThat(bob.terminate()).isZero();
            assertThat(ana.terminate()).isZero();
            assertThat(eve.terminate()).isZero();

            try (MountProcess ma = mount(ana); MountProcess mb = mount(bob)) {
                assertThat(belowRoot(TreeCompare.differences(ma.mountpoint, mb.mountpoint)))
                        .as("bob's joined volume against ana's\n" + bob.log()).isEmpty();
                // An edit on bob's side, made through its mount.
                Files.write(mb.mountpoint.resolve("notes/todo.txt"), "edited on bob\n".getBytes(StandardCharsets.UTF_8));
                Files.delete(mb.mountpoint.resolve("a.bin"));
            }
            ana.start();
            bob.start();
            ana.awaitLog("volume docs: applied", WAIT);
            Thread.sleep(3000);
            assertThat(ana.terminate()).isZero();
            assertThat(bob.terminate()).isZero();
            try (MountProcess ma = mount(ana); MountProcess mb = mount(bob)) {
                assertThat(Files.readString(ma.mountpoint.resolve("notes/todo.txt"))).isEqualTo("edited on bob\n");
                assertThat(ma.mountpoint.resolve("a.bin")).doesNotExist();
                assertThat(belowRoot(TreeCompare.differences(ma.mountpoint, mb.mountpoint))).isEmpty();
            }
            assertThat(Files.exists(ana.dir.resolve("state/sync/conflicts.jsonl"))).isFalse();
        }
    }

    /**
     * Two mounts of one shared volume, on two devices: a file saved in one appears in the other within
     * seconds (each mount runs the sync engine), both ways; the trees end equal.
     */
    @Test
    void anEditInOneMount_appearsInTheOtherMount() throws Exception {
        try (SyncDevice ana = new SyncDevice(tmp.resolve("ana")); SyncDevice bob = new SyncDevice(tmp.resolve("bob"))) {
            SyncDevice.shareDocs(ana, bob, WAIT);
            String anaId = ana.id();
            String bobId = bob.id();

            try (MountProcess ma = ana.mountSyncing("--volume", "docs"); MountProcess mb = bob.mountSyncing("--volume", "docs")) {
                ma.awaitLog("syncing volume docs", WAIT);
                mb.awaitLog("connected to " + anaId, WAIT);
                List<Long> millis = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    byte[] content = ("edit " + i + "\n").getBytes(StandardCharsets.UTF_8);
                    long start = System.nanoTime();
                    Files.write(ma.mountpoint.resolve("note.txt"), content);
                    awaitContent(mb.mountpoint.resolve("note.txt"), content, mb);
                    millis.add((System.nanoTime() - start) / 1_000_000);
                }
                millis.sort(null);
                System.out.println("edit to visible in the other mount, ms: " + millis);
                Files.writeString(mb.mountpoint.resolve("from-bob.txt"), "saved on bob\n");
                awaitContent(ma.mountpoint.resolve("from-bob.txt"), "saved on bob\n".getBytes(StandardCharsets.UTF_8), ma);
                awaitInSync(ana);
                awaitInSync(bob);
                assertThat(belowRoot(TreeCompare.differences(ma.mountpoint, mb.mountpoint))).isEmpty();
                assertThat(ana.run("sync", "status")).contains("Volume docs with " + bobId.substring(0, 7) + ": in sync");
                assertThat(millis.get(millis.size() / 2)).as("median edit-to-visible, ms: " + millis).isLessThan(1000);
            }
        }
    }

    /** Waits until {@code strata sync status --json} says volume docs is in sync with every connected peer. */
    private static void awaitInSync(SyncDevice d) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            com.fasterxml.jackson.databind.JsonNode status = d.status();
            for (com.fasterxml.jackson.databind.JsonNode v : status.path("volumes")) {
                if (v.path("name").asText().equals("docs") && v.path("inSync").asBoolean()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never in sync: " + status);
            }
            Thread.sleep(200);
        }
    }



    private static void awaitContent(Path file, byte[] content, MountProcess m) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                    return;
                }
            } catch (IOException notYet) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " never held '" + new String(content, StandardCharsets.UTF_8) + "':\n" + m.log());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Mounts {@code d}'s volume docs alone (the mount is unmounted when closed), its sync engine
     * listening where no peer dials: the volume changes here only through the mount.
     */
    private static MountProcess mount(SyncDevice d) throws IOException, InterruptedException {
        return MountProcess.start(new Strata(d.dir), d.dir.resolve("mnt"), d.env(), "--volume", "docs", "--sync-listen",
                "127.0.0.1:0");
    }

    /** The differences but the volume root's own (its metadata does not travel: docs/sync.md). */
    private static List<String> belowRoot(List<String> diffs) {
        return diffs.stream().filter(d -> !d.startsWith(": ")).toList();
    }

    /** Files of every kind with metadata; folder times set last, as tar and rsync do. */
    private static void fill(Path root) throws IOException {
        Random random = new Random(7);
        byte[] big = new byte[3_000_000];
        random.nextBytes(big);
        Files.write(root.resolve("a.bin"), big);
        Path notes = Files.createDirectories(root.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "first\n");
        Files.setPosixFilePermissions(notes.resolve("todo.txt"), PosixFilePermissions.fromString("rw-------"));
        UserDefinedFileAttributeView x = Files.getFileAttributeView(notes.resolve("todo.txt"), UserDefinedFileAttributeView.class);
        x.write("tag", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
        Files.createSymbolicLink(root.resolve("link"), Path.of("notes/todo.txt"));
        Files.createLink(notes.resolve("hard.txt"), notes.resolve("todo.txt"));
        try (FileChannel ch = FileChannel.open(root.resolve("sparse"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("end".getBytes(StandardCharsets.UTF_8)), 5L << 20);
        }
        Path deep = Files.createDirectories(root.resolve("dir1/dir2"));
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[random.nextInt(50_000)];
            random.nextBytes(b);
            Files.write(deep.resolve("f" + i), b);
        }
        Files.setLastModifiedTime(root.resolve("a.bin"), FileTime.from(Instant.parse("2020-01-02T03:04:05.123456789Z")));
        for (Path d : List.of(deep, root.resolve("dir1"), notes)) {
            Files.setLastModifiedTime(d, FileTime.from(Instant.parse("2021-05-06T07:08:09Z")));
        }
    }
}
