package dev.strata.volume.data;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.view.LiveVolume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases of a file's handles racing each other and a new open, in the orders FUSE can bring them:
 * its RELEASE requests come asynchronously, after close(2) has returned, each on a thread of its own.
 */
@Timeout(60)
class ReleaseTest {
    private static final Caller ME = new Caller(1000, 1000);

    @TempDir
    Path dir;
    private Repository repo;
    private final HookClock clock = new HookClock();
    private LiveVolume volume;

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        volume = LiveVolume.open("docs", new byte[16], dir.resolve("state"), new TreeStore(repo.store()), clock,
                LiveVolume.Timing.DEFAULT, 0, 0, BurstWatch.off(), line -> { });
    }

    @AfterEach
    void close() throws IOException {
        volume.close();
        repo.close();
    }

    /**
     * A release that is late to look whether the file can leave the open files (its thread was
     * descheduled, say) while the last release of the file is still sealing its newest writes: the
     * file must stay open until that seal is recorded, or an open meanwhile builds the file from the
     * record of the version before and shows its size and bytes (and its next close saves them again,
     * losing the writes).
     */
    @Test
    void aLateRelease_whileTheLastOneSeals_leavesTheFileOpen_soAnOpenSeesTheNewestWrites() throws Exception {
        write("f", "old");
        ViewNode f = volume.root().child("f").orElseThrow();
        long ino = f.attributes().inode();
        byte[] newest = bytes("the newest bytes");
        OpenFile reader = f.open();
        OpenFile writer = f.openForWriting();
        writer.write(0, newest, 0, newest.length);

        // The reader's release stops once it has done its work, before it looks whether the file can go.
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        Thread testThread = Thread.currentThread();
        volume.data().onReleaseWorkDone(i -> {
            if (Thread.currentThread() != testThread && paused.getCount() > 0) {
                paused.countDown();
                await(resume);
            }
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread late = start(reader::close, failure);
        assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();

        // The writer's release (the last) is sealing: then the late release goes on, and a program opens the file.
        AtomicReference<OpenFile> opened = new AtomicReference<>();
        clock.atNextReading(() -> {
            resume.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (late.isAlive() && volume.data().isOpen(ino) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            join(start(() -> opened.set(f.open()), failure));
        });
        writer.close();
        late.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(opened.get()).isNotNull();

        assertThat(f.attributes().size()).isEqualTo(newest.length);
        assertThat(read(opened.get(), newest.length)).isEqualTo(newest);
        opened.get().close();
        assertThat(f.attributes().size()).isEqualTo(newest.length);
        assertThat(read(f)).isEqualTo(newest);
    }

    private void write(String name, String text) throws IOException {
        byte[] b = bytes(text);
        try (OpenFile f = volume.root().create(name, 0644, ME)) {
            f.write(0, b, 0, b.length);
        }
    }

    private static byte[] read(ViewNode file) throws IOException {
        try (OpenFile f = file.open()) {
            return read(f, (int) file.attributes().size());
        }
    }

    private static byte[] read(OpenFile f, int size) throws IOException {
        byte[] out = new byte[size + 1];
        int n = f.read(0, out.length, new ReadSink() {
            @Override
            public void put(int at, byte[] src, int srcOffset, int length) {
                System.arraycopy(src, srcOffset, out, at, length);
            }

            @Override
            public void zero(int at, int length) {
                Arrays.fill(out, at, at + length, (byte) 0);
            }
        });
        return Arrays.copyOf(out, n);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Thread start(Action action, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "other program");
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The system clock, which runs a step once at the first reading after it is armed. Thread-safe. */
    private static final class HookClock extends Clock {
        private volatile Runnable next;

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
            return Instant.now();
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

    /**
     * A peer's change that comes while a reader's release is at work (FUSE sends it after close(2)
     * returned, on a thread of its own) is applied: a reader seals nothing, so only a writer's release
     * holds the change back.
     */
    @Test
    void aPeersChange_whileAReadersReleaseIsAtWork_isApplied() throws Exception {
        volume.state().enableSync(0x1234L);
        write("f", "old content");
        write("copy", "the peer's content");
        var state = volume.state();
        var mine = state.syncRecord(bytes("f"));
        var theirs = state.syncRecord(bytes("copy")).at(bytes("f")).madeBy(77, mine.vector().bump(77, 1), 1);
        ViewNode f = volume.root().child("f").orElseThrow();
        AtomicReference<Object> outcome = new AtomicReference<>();
        volume.data().onReleaseWorkDone(ino -> {
            try {
                outcome.set(volume.data().fromPeer(files -> state.syncApply(theirs, false, false, null, bytes("peer"), 1, files)));
            } catch (IOException e) {
                outcome.set(e);
            }
        });
        f.open().close();
        volume.data().onReleaseWorkDone(ino -> { });

        assertThat(outcome.get()).isEqualTo(dev.strata.volume.state.VolumeState.Applied.APPLIED);
        assertThat(read(volume.root().child("f").orElseThrow())).isEqualTo(bytes("the peer's content"));
    }
}
