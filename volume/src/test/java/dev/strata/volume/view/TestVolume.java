package dev.strata.volume.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryOptions;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.burst.BurstWatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A live volume over a small local repository for one test, with a clock that can run a step of
 * the test in the middle of the volume's own work (at its next reading of the time) and be moved
 * ahead, and a log; it can watch for bursts of {@code burstFiles} files in a minute. Confined to the
 * test thread.
 */
final class TestVolume implements AutoCloseable {
    static final Caller ME = new Caller(1000, 1000);

    final Path dir;
    /** The repository's backend, which can be made to fail. */
    final dev.strata.core.testing.FaultInjectingBackend faults;
    final Repository repo;
    final HookClock clock = new HookClock();
    /** What the volume logged. */
    final List<String> log = new CopyOnWriteArrayList<>();
    private final int burstFiles;
    private final Path stateFolder;
    private final LiveVolume.Timing timing;
    LiveVolume volume;

    /** A volume whose repository, with small chunks and packs, is in {@code dir} too. */
    TestVolume(Path dir) throws IOException {
        this(dir, 0);
    }

    /** {@code burstFiles}: warn of that many files deleted or overwritten within a minute (0: never). */
    TestVolume(Path dir, int burstFiles) throws IOException {
        this(dir, dir.resolve("state"), dir.resolve("repo"), TestRepositories.smallOptions(), LiveVolume.Timing.DEFAULT,
                burstFiles);
    }

    /**
     * A volume with its local state in {@code stateFolder} and its repository, made with
     * {@code options}, in {@code repoDir} (either on a disk of its own, say), the index cache in
     * {@code dir}, kept with {@code timing}.
     */
    TestVolume(Path dir, Path stateFolder, Path repoDir, RepositoryOptions options, LiveVolume.Timing timing)
            throws IOException {
        this(dir, stateFolder, repoDir, options, timing, 0);
    }

    private TestVolume(Path dir, Path stateFolder, Path repoDir, RepositoryOptions options, LiveVolume.Timing timing,
                       int burstFiles) throws IOException {
        this.dir = dir;
        this.stateFolder = stateFolder;
        this.timing = timing;
        this.burstFiles = burstFiles;
        this.faults = new dev.strata.core.testing.FaultInjectingBackend(
                new dev.strata.core.backend.local.LocalBackend(repoDir));
        this.repo = TestRepositories.on(faults, dir.resolve("cache")).options(options).init().open();
        this.volume = open();
    }

    LiveVolume open() throws IOException {
        BurstWatch burst = burstFiles == 0 ? BurstWatch.off()
                : new BurstWatch("docs", burstFiles, Duration.ofMinutes(1), clock, "", log::add);
        return LiveVolume.open("docs", new byte[16], stateFolder, new TreeStore(repo.store()), clock,
                timing, 0, 0, burst, log::add);
    }

    /** Closes the volume and opens it again from its state (as a remount does). */
    void reopen() throws IOException {
        volume.close();
        volume = open();
    }

    ViewNode root() {
        return volume.root();
    }

    ViewNode child(String name) throws IOException {
        return root().child(name).orElseThrow();
    }

    static void write(ViewNode folder, String name, String text) throws IOException {
        write(folder, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates {@code name} in {@code folder} with {@code b}, in writes of up to 128 KiB, and closes it. */
    static void write(ViewNode folder, String name, byte[] b) throws IOException {
        try (OpenFile f = folder.create(name, 0644, ME)) {
            for (int at = 0; at < b.length; at += 128 << 10) {
                f.write(at, b, at, Math.min(128 << 10, b.length - at));
            }
        }
    }

    static byte[] read(ViewNode file) throws IOException {
        long size = file.attributes().size();
        byte[] out = new byte[(int) size];
        try (OpenFile f = file.open()) {
            int at = 0;
            while (at < size) {
                at += f.read(at, (int) Math.min(128 * 1024, size - at), sink(out, at));
            }
        }
        return out;
    }

    static ReadSink sink(byte[] into, int base) {
        return new ReadSink() {
            @Override
            public void put(int at, byte[] src, int srcOffset, int length) {
                System.arraycopy(src, srcOffset, into, base + at, length);
            }

            @Override
            public void zero(int at, int length) {
                Arrays.fill(into, base + at, base + at + length, (byte) 0);
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            volume.close();
        } finally {
            repo.close();
        }
    }

    /**
     * The system clock, which runs a step once at the first reading after it is armed, and which a
     * test can move ahead. Thread-safe.
     */
    static final class HookClock extends Clock {
        private volatile Runnable next;
        private volatile Duration ahead = Duration.ZERO;

        /** Moves the clock {@code d} ahead of the system's. */
        void advance(Duration d) {
            ahead = ahead.plus(d);
        }

        void atNextReading(Runnable step) {
            next = step;
        }

        @Override
        public Instant instant() {
            Runnable step = next;
            if (step != null) {
                next = null;
                step.run();
            }
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
