package dev.strata.volume.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.state.VersionRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static dev.strata.volume.view.TestVolume.ME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions of files held open for writing for long: an fsync makes one once the file has been open
 * for writing for the interval (5 minutes by default), and again at most once per interval; the
 * close still makes one as usual. The clock is moved ahead instead of waited for.
 */
class OpenFileVersionsTest {
    private static final Duration EVERY = LiveVolume.Timing.DEFAULT.syncVersionEvery();

    @TempDir
    Path dir;
    private TestVolume v;

    @BeforeEach
    void open() throws IOException {
        v = new TestVolume(dir);
    }

    @AfterEach
    void close() throws IOException {
        v.close();
    }

    @Test
    void anFsyncOfAFileOpenForWritingLessThanTheInterval_makesNoVersion() throws IOException {
        try (OpenFile f = v.root().create("db", 0644, ME)) {
            write(f, 0, "one");
            f.sync();
            v.clock.advance(EVERY.minusSeconds(1));
            write(f, 3, "two");
            f.sync();
            assertThat(versions("db")).isEmpty();
        }
        assertThat(versions("db")).hasSize(1);
    }

    @Test
    void anFsyncOnceTheIntervalPassed_makesAVersionOfTheContentThen_andTheFileStaysOpenAndWritable() throws IOException {
        OpenFile f = v.root().create("db", 0644, ME);
        write(f, 0, "one");
        v.clock.advance(EVERY);
        f.sync();
        assertThat(versions("db")).hasSize(1);
        ViewNode history = v.volume.history(owner()).child("db").orElseThrow();
        assertThat(text(history.child(history.list().get(0).name()).orElseThrow())).isEqualTo("one");
        // Still open and writable: later writes read back, and seal at close as usual.
        write(f, 3, "+two");
        assertThat(text(v.child("db"))).isEqualTo("one+two");
        f.sync();
        assertThat(versions("db")).as("the interval has not passed again").hasSize(1);
        f.close();
        assertThat(versions("db")).hasSize(2);
        assertThat(text(v.child("db"))).isEqualTo("one+two");
        v.reopen();
        assertThat(text(v.child("db"))).isEqualTo("one+two");
        assertThat(versions("db")).hasSize(2);
    }

    @Test
    void aDatabaseFsyncingEvery10sForTwoHours_getsOneVersionPerInterval() throws IOException {
        Random random = new Random(3);
        byte[] page = new byte[4096];
        try (OpenFile f = v.root().create("app.sqlite", 0644, ME)) {
            // 7,350 s of fsyncs (the clock also runs as the test does): a version at 300 s, 600 s, … 7,200 s.
            for (int step = 0; step < 735; step++) {
                random.nextBytes(page);
                f.write(4096L * random.nextInt(64), page, 0, page.length);
                f.sync();
                v.clock.advance(Duration.ofSeconds(10));
            }
            List<VersionRecord> held = versions("app.sqlite");
            assertThat(held).hasSize(24);
            for (int i = 1; i < held.size(); i++) {
                long apart = held.get(i).savedNanos() - held.get(i - 1).savedNanos();
                assertThat(apart).as("versions " + (i - 1) + " and " + i + " apart, ns")
                        .isGreaterThan(EVERY.minusSeconds(1).toNanos());
            }
        }
        assertThat(versions("app.sqlite")).as("and one at close").hasSize(25);
    }

    @Test
    void anFsyncWithoutChangesSinceTheLastVersion_makesNone() throws IOException {
        try (OpenFile f = v.root().create("log", 0644, ME)) {
            write(f, 0, "a");
            v.clock.advance(EVERY);
            f.sync();
            assertThat(versions("log")).hasSize(1);
            v.clock.advance(EVERY.multipliedBy(3));
            f.sync();
            f.sync();
            assertThat(versions("log")).hasSize(1);
        }
        assertThat(versions("log")).as("nothing changed since").hasSize(1);
    }

    @Test
    void theIntervalCounts_fromTheOpeningOfTheFirstWriter_notOfAReader() throws IOException {
        TestVolume.write(v.root(), "doc", "saved");
        try (OpenFile reader = v.child("doc").open()) {
            v.clock.advance(EVERY.multipliedBy(2));
            try (OpenFile w = v.child("doc").openForWriting()) {
                write(w, 0, "SAVED");
                w.sync();
                assertThat(versions("doc")).as("open for writing only just now").hasSize(1);
                v.clock.advance(EVERY);
                w.sync();
                assertThat(versions("doc")).hasSize(2);
            }
            assertThat(reader).isNotNull();
        }
        assertThat(versions("doc")).as("no change after the fsync's version").hasSize(2);
    }

    @Test
    void aSecondWriter_doesNotRestartTheInterval() throws IOException {
        try (OpenFile first = v.root().create("shared", 0644, ME)) {
            v.clock.advance(EVERY.minusSeconds(10));
            try (OpenFile second = v.child("shared").openForWriting()) {
                write(second, 0, "x");
                v.clock.advance(Duration.ofSeconds(10));
                second.sync();
                assertThat(versions("shared")).hasSize(1);
            }
            assertThat(versions("shared")).as("a writer is still open").hasSize(1);
            write(first, 1, "y");
        }
        assertThat(versions("shared")).hasSize(2);
    }

    private List<VersionRecord> versions(String path) throws IOException {
        return v.volume.state().versions(path.getBytes(StandardCharsets.UTF_8));
    }

    private static ViewOwner owner() {
        return new ViewOwner(0, 0, dev.strata.core.tree.Timestamp.EPOCH);
    }

    private static void write(OpenFile f, long at, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        f.write(at, b, 0, b.length);
    }

    private static String text(ViewNode file) throws IOException {
        return new String(TestVolume.read(file), StandardCharsets.UTF_8);
    }
}
