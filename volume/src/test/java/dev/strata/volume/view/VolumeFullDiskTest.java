package dev.strata.volume.view;

import dev.strata.core.testing.FullFilesystem;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A live volume whose repository is on a small disk (a tmpfs the test mounts; needs root) that
 * fills up while versions wait in the open pack for their flush.
 */
@Timeout(120)
class VolumeFullDiskTest {
    /** Flushes only when the test asks, so that the versions it saves share one open pack. */
    private static final LiveVolume.Timing FLUSH_WHEN_ASKED =
            new LiveVolume.Timing(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMinutes(5));

    @TempDir
    Path dir;

    /**
     * The pack holding a saved version's chunk has its header on the disk when the disk fills; the
     * next version's chunks push the pack's buffer out, and part of it still fits in the header's
     * page before ENOSPC. That version cannot be saved; once there is room, the next one is, and
     * the first version reads back after the flush and a reopen, and so does the one that failed,
     * saved from its staged changes.
     */
    @Test
    void aVersionWaitingInThePack_whenTheDiskFills_readsBackOnceThereIsRoomAgain() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "16m");
             TestVolume v = new TestVolume(dir, dir.resolve("state"), disk.root().resolve("repo"),
                     TestRepositories.options(), FLUSH_WHEN_ASKED)) {
            byte[] keep = random(1, 100_000);
            TestVolume.write(v.root(), "keep", keep);
            disk.fill();
            byte[] big = random(2, 3 << 20);
            assertThatThrownBy(() -> TestVolume.write(v.root(), "big", big)).hasMessageContaining("No space left");
            disk.free();
            byte[] after = random(3, 1 << 20);
            TestVolume.write(v.root(), "after", after);
            v.volume.data().flush();

            v.reopen();
            assertThat(TestVolume.read(v.child("keep"))).as("keep").isEqualTo(keep);
            assertThat(TestVolume.read(v.child("after"))).as("after").isEqualTo(after);
            assertThat(TestVolume.read(v.child("big"))).as("big").isEqualTo(big);
        }
    }

    /**
     * The volume's local state is on the disk that fills: what programs do while it is full (create,
     * make a folder, rename, remove) is still committed when the commit interval passes, from the room
     * the state keeps, and is there after a reopen.
     */
    @Test
    void changesMadeWhileTheStatesDiskIsFull_areCommitted_andOutliveAReopen() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "32m");
             TestVolume v = new TestVolume(dir, disk.root().resolve("state"), dir.resolve("repo"),
                     TestRepositories.options(), LiveVolume.Timing.DEFAULT)) {
            byte[] keep = random(4, 100_000);
            TestVolume.write(v.root(), "keep", keep);
            TestVolume.write(v.root(), "old-name", "renamed while the disk is full");
            TestVolume.write(v.root(), "gone", "removed while the disk is full");
            v.volume.state().commit();
            disk.fill();
            v.root().create("made", 0644, TestVolume.ME).close();
            v.root().mkdir("folder", 0755, TestVolume.ME);
            v.root().rename("old-name", v.root(), "new-name");
            v.root().remove("gone", false);
            Thread.sleep(2500); // the commit interval passes, and the flush delay

            assertThat(names(v)).containsExactlyInAnyOrder("keep", "made", "folder", "new-name");
            disk.free();
            v.reopen();
            assertThat(names(v)).containsExactlyInAnyOrder("keep", "made", "folder", "new-name");
            assertThat(TestVolume.read(v.child("keep"))).isEqualTo(keep);
            assertThat(TestVolume.read(v.child("new-name")))
                    .isEqualTo("renamed while the disk is full".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * While the state's disk is full, a write of a few bytes fails with ENOSPC as on a local disk: its
     * bytes are not kept in memory for the seal's record to carry onto that disk (they would use up
     * the room kept for the state's commits). Creations, renames and removals still go on, and the
     * state still commits.
     */
    @Test
    void smallWritesWhileTheStatesDiskIsFull_getEnospc_andTheStateStillCommits() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "32m");
             TestVolume v = new TestVolume(dir, disk.root().resolve("state"), dir.resolve("repo"),
                     TestRepositories.options(), LiveVolume.Timing.DEFAULT)) {
            byte[] keep = random(5, 10_000);
            TestVolume.write(v.root(), "keep", keep);
            v.volume.state().commit();
            disk.fill();
            for (int i = 0; i < 50; i++) {
                int n = i;
                assertThatThrownBy(() -> TestVolume.write(v.root(), "small-" + n, random(6 + n, 20_000)))
                        .as("small-" + n).hasMessageContaining("ENOSPC");
            }
            v.root().create("made", 0644, TestVolume.ME).close();
            Thread.sleep(2500); // the commit interval passes, and the flush delay
            v.volume.state().commit();
            disk.free();
            v.reopen();
            assertThat(names(v)).contains("keep", "made", "small-0", "small-49");
            assertThat(TestVolume.read(v.child("keep"))).isEqualTo(keep);
            assertThat(TestVolume.read(v.child("small-0"))).isEmpty();
        }
    }

    private static java.util.List<String> names(TestVolume v) throws java.io.IOException {
        return v.root().list().stream().map(e -> e.name()).toList();
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
