package dev.strata.volume.data;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.view.LiveVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saving small files: their written bytes stay in memory and their seals carry them, so no staging
 * file is made for each; an fsync, a write far into a file and the memory budget still put them in a
 * staging file; and a crash before the version's chunks reach a pack is redone from the seal's record.
 */
@Timeout(120)
class SmallFileSavesTest {
    private static final Caller ME = new Caller(1000, 1000);
    /** Flushes only when the test asks (or at close), so that versions wait for their pack. */
    private static final LiveVolume.Timing FLUSH_WHEN_ASKED =
            new LiveVolume.Timing(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(5));

    @TempDir
    Path dir;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void aSmallFileSaved_leavesNoStagingFile_andReadsBack() throws Exception {
        try (Repository repo = TestRepositories.local(dir).small().init().open();
             LiveVolume volume = open(repo, dir.resolve("state"))) {
            byte[] b = random(1, 20_000);
            write(volume.root(), "small", b, 0);
            assertThat(stagingFiles(dir.resolve("state"))).isEmpty();
            assertThat(read(volume.root().child("small").orElseThrow())).isEqualTo(b);
            assertThat(volume.data().memoryInUse()).isZero();
        }
    }

    /** Only a staging file outlives the process before a seal: an fsync puts the bytes there. */
    @Test
    void anFsync_putsTheWrittenBytesInAStagingFile() throws Exception {
        try (Repository repo = TestRepositories.local(dir).small().init().open();
             LiveVolume volume = open(repo, dir.resolve("state"))) {
            byte[] b = random(2, 5_000);
            try (OpenFile f = volume.root().create("synced", 0644, ME)) {
                f.write(0, b, 0, b.length);
                f.sync();
                List<Path> staged = stagingFiles(dir.resolve("state"));
                assertThat(staged).hasSize(1);
                assertThat(Arrays.copyOf(Files.readAllBytes(staged.get(0)), b.length)).isEqualTo(b);
                byte[] more = random(3, 1_000);
                f.write(b.length, more, 0, more.length);
            }
            assertThat(read(volume.root().child("synced").orElseThrow())).hasSize(6_000).startsWith(b);
        }
    }

    @Test
    void aWriteFarIntoAFile_goesToAStagingFile() throws Exception {
        try (Repository repo = TestRepositories.local(dir).small().init().open();
             LiveVolume volume = open(repo, dir.resolve("state"))) {
            byte[] b = random(4, 1_000);
            try (OpenFile f = volume.root().create("sparse", 0644, ME)) {
                f.write(WrittenBytes.MEMORY_LIMIT, b, 0, b.length);
                assertThat(stagingFiles(dir.resolve("state"))).hasSize(1);
            }
            byte[] all = read(volume.root().child("sparse").orElseThrow());
            assertThat(Arrays.copyOfRange(all, WrittenBytes.MEMORY_LIMIT, all.length)).isEqualTo(b);
            assertThat(Arrays.copyOf(all, WrittenBytes.MEMORY_LIMIT)).containsOnly(0);
        }
    }

    /** More files written at once than the memory budget holds: the rest go to staging files, all read back. */
    @Test
    void manyFilesWrittenAtOnce_pastTheMemoryBudget_allReadBack() throws Exception {
        int files = (int) (Overlays.MEMORY_BUDGET / WrittenBytes.MEMORY_LIMIT) + 20;
        try (Repository repo = TestRepositories.local(dir).small().init().open();
             LiveVolume volume = open(repo, dir.resolve("state"))) {
            List<OpenFile> open = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                byte[] b = random(100 + i, WrittenBytes.MEMORY_LIMIT);
                OpenFile f = volume.root().create("f" + i, 0644, ME);
                f.write(0, b, 0, b.length);
                open.add(f);
                contents.add(b);
            }
            assertThat(volume.data().memoryInUse()).isLessThanOrEqualTo(Overlays.MEMORY_BUDGET);
            assertThat(stagingFiles(dir.resolve("state"))).hasSizeGreaterThanOrEqualTo(20);
            for (OpenFile f : open) {
                f.close();
            }
            assertThat(volume.data().memoryInUse()).isZero();
            for (int i = 0; i < files; i++) {
                assertThat(read(volume.root().child("f" + i).orElseThrow())).as("f" + i).isEqualTo(contents.get(i));
            }
        }
    }

    /**
     * The process dies after a small file's version was recorded and committed but before its chunks
     * reached a pack (the state and the repository as that moment left them): the next open redoes the
     * version from the bytes its seal carries, as there is no staging file.
     */
    @Test
    void aVersionRecordedButInNoPackYet_isRedoneFromItsSeal_afterACrash() throws Exception {
        byte[] b = random(5, 30_000);
        Path crashed = dir.resolve("crashed");
        try (Repository repo = TestRepositories.local(dir).small().init().open();
             LiveVolume volume = open(repo, dir.resolve("state"))) {
            write(volume.root(), "small", b, 0);
            volume.state().commit();
            assertThat(stagingFiles(dir.resolve("state"))).isEmpty();
            copy(dir.resolve("state"), crashed.resolve("state"));
            copy(dir.resolve("repo"), crashed.resolve("repo"));
        }
        try (Repository repo = TestRepositories.on(new LocalBackend(crashed.resolve("repo")), crashed.resolve("cache"))
                .small().open(null);
             LiveVolume volume = open(repo, crashed.resolve("state"))) {
            assertThat(log).anyMatch(l -> l.contains("1 versions made durable again"));
            assertThat(log).noneMatch(l -> l.contains("cannot be read") || l.contains("not fully on disk"));
            assertThat(read(volume.root().child("small").orElseThrow())).isEqualTo(b);
        }
        // The redone chunks went to a pack: the version reads back after another open, from the repository alone.
        try (Repository repo = TestRepositories.on(new LocalBackend(crashed.resolve("repo")), crashed.resolve("cache2"))
                .small().open(null);
             LiveVolume volume = open(repo, crashed.resolve("state"))) {
            assertThat(read(volume.root().child("small").orElseThrow())).isEqualTo(b);
        }
    }

    private LiveVolume open(Repository repo, Path state) throws IOException {
        return LiveVolume.open("docs", new byte[16], state, new TreeStore(repo.store()), Clock.systemUTC(),
                FLUSH_WHEN_ASKED, 0, 0, BurstWatch.off(), log::add);
    }

    /** The staging folder's overlay files (named by number; spares are not). */
    private static List<Path> stagingFiles(Path state) throws IOException {
        try (Stream<Path> s = Files.list(state.resolve("staging"))) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9]+")).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("owner.lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void write(ViewNode folder, String name, byte[] b, long at) throws IOException {
        try (OpenFile f = folder.create(name, 0644, ME)) {
            f.write(at, b, 0, b.length);
        }
    }

    private static byte[] read(ViewNode file) throws IOException {
        long size = file.attributes().size();
        byte[] out = new byte[(int) size];
        try (OpenFile f = file.open()) {
            int at = 0;
            while (at < size) {
                int base = at;
                at += f.read(at, (int) Math.min(128 * 1024, size - at), new ReadSink() {
                    @Override
                    public void put(int to, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, out, base + to, length);
                    }

                    @Override
                    public void zero(int to, int length) {
                        Arrays.fill(out, base + to, base + to + length, (byte) 0);
                    }
                });
            }
        }
        return out;
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
