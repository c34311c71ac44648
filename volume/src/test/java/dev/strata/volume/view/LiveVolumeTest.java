package dev.strata.volume.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.state.VersionRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveVolumeTest {
    private static final Caller ME = new Caller(1000, 1000);

    @TempDir
    Path dir;
    private Repository repo;
    private LiveVolume volume;

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir).small().init().open();
        volume = openVolume();
    }

    private LiveVolume openVolume() throws IOException {
        return LiveVolume.open("docs", new byte[16], dir.resolve("state"), new TreeStore(repo.store()), Clock.systemUTC(),
                LiveVolume.Timing.DEFAULT, 0, 0, BurstWatch.off(), line -> { });
    }

    @AfterEach
    void close() throws IOException {
        volume.close();
        repo.close();
    }

    @Test
    void aWrittenFile_readsBack_andItsCloseIsAVersion() throws IOException {
        ViewNode root = volume.root();
        byte[] data = "hello, volume".getBytes(StandardCharsets.UTF_8);
        try (OpenFile f = root.create("a.txt", 0644, ME)) {
            f.write(0, data, 0, data.length);
        }
        ViewNode a = root.child("a.txt").orElseThrow();
        assertThat(read(a)).isEqualTo(data);
        assertThat(a.attributes().size()).isEqualTo(data.length);
        assertThat(a.attributes().uid()).isEqualTo(1000);
        List<VersionRecord> versions = volume.state().versions(bytes("a.txt"));
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).size()).isEqualTo(data.length);
    }

    /** A shared volume's sync index follows what is done through the volume, in the steps that do it. */
    @Test
    void aSharedVolume_indexesEveryChangeMadeThroughIt() throws IOException {
        ViewNode root = volume.root();
        assertThat(volume.state().enableSync(0x5151L)).isTrue();
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        try (OpenFile f = root.create("a.bin", 0644, ME)) {
            f.write(0, data, 0, data.length);
        }
        root.mkdir("d", 0755, ME);
        ViewNode d = root.child("d").orElseThrow();
        root.rename("a.bin", d, "b.bin");
        d.child("b.bin").orElseThrow().setMode(0600);
        root.symlink("s", bytes("d/b.bin"), ME);

        var state = volume.state();
        assertThat(state.syncRecord(bytes("a.bin")).deleted()).isTrue();
        var moved = state.syncRecord(bytes("d/b.bin"));
        assertThat(moved.deleted()).isFalse();
        assertThat(moved.mode()).isEqualTo(0600);
        assertThat(moved.size()).isEqualTo(data.length);
        long ino = volume.state().lookup(state.lookup(1, bytes("d")).orElseThrow().ino(), bytes("b.bin")).orElseThrow().ino();
        assertThat(moved.content()).isEqualTo(state.inode(ino).content());
        assertThat(new String(state.syncRecord(bytes("s")).target(), StandardCharsets.UTF_8)).isEqualTo("d/b.bin");
        assertThat(state.syncRecordsSince(0, 100)).extracting(r -> r.printablePath())
                .containsExactly("a.bin", "d", "d/b.bin", "s");
    }

    @Test
    void anEditInTheMiddleOfALargeFile_storesOnlyChunksAroundIt_andReadsBackWhole() throws IOException {
        ViewNode root = volume.root();
        byte[] data = new byte[4 << 20];
        new Random(1).nextBytes(data);
        try (OpenFile f = root.create("big.bin", 0644, ME)) {
            f.write(0, data, 0, data.length);
        }
        long storedBefore = repo.store().stats().bytesNew();
        byte[] patch = "patched".getBytes(StandardCharsets.UTF_8);
        ViewNode big = root.child("big.bin").orElseThrow();
        try (OpenFile f = big.openForWriting()) {
            f.write(2_000_000, patch, 0, patch.length);
        }
        System.arraycopy(patch, 0, data, 2_000_000, patch.length);
        assertThat(read(big)).isEqualTo(data);
        long newBytes = repo.store().stats().bytesNew() - storedBefore;
        assertThat(newBytes).as("bytes stored for a 7-byte edit").isLessThan(1 << 20);
        assertThat(volume.state().versions(bytes("big.bin"))).hasSize(2);
    }

    @Test
    void truncateDownAndUp_givesZerosWhereTheOldBytesWere() throws IOException {
        ViewNode root = volume.root();
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        try (OpenFile f = root.create("t", 0644, ME)) {
            f.write(0, data, 0, data.length);
        }
        ViewNode t = root.child("t").orElseThrow();
        try (OpenFile f = t.openForWriting()) {
            f.truncate(1000);
            f.truncate(5000);
            f.write(4000, new byte[]{7}, 0, 1);
        }
        byte[] expected = new byte[5000];
        System.arraycopy(data, 0, expected, 0, 1000);
        expected[4000] = 7;
        assertThat(read(t)).isEqualTo(expected);
    }

    @Test
    void aSparseFileOfGibibytes_sealsWithoutReadingItsHole() throws IOException {
        ViewNode root = volume.root();
        try (OpenFile f = root.create("sparse", 0644, ME)) {
            f.truncate(5L << 30);
            f.write((5L << 30) - 3, new byte[]{1, 2, 3}, 0, 3);
        }
        ViewNode s = root.child("sparse").orElseThrow();
        assertThat(s.attributes().size()).isEqualTo(5L << 30);
        byte[] tail = new byte[10];
        try (OpenFile f = s.open()) {
            f.read((5L << 30) - 10, 10, sink(tail));
        }
        assertThat(tail).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 2, 3);
    }

    @Test
    void folders_andTheErrorsALocalFilesystemGives() throws IOException {
        ViewNode root = volume.root();
        root.mkdir("d", 0755, ME);
        ViewNode d = root.child("d").orElseThrow();
        d.create("x", 0644, ME).close();
        assertThatThrownBy(() -> root.mkdir("d", 0755, ME)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> root.remove("d", true)).isInstanceOf(DirectoryNotEmptyException.class);
        assertThatThrownBy(() -> root.remove("d", false)).isInstanceOf(PosixException.class)
                .satisfies(e -> assertThat(((PosixException) e).error()).isEqualTo(PosixError.EISDIR));
        assertThatThrownBy(() -> root.remove("nope", false)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> root.rename("d", d, "inside")).isInstanceOf(PosixException.class)
                .satisfies(e -> assertThat(((PosixException) e).error()).isEqualTo(PosixError.EINVAL));
        assertThatThrownBy(() -> root.mkdir("n".repeat(256), 0755, ME)).isInstanceOf(PosixException.class)
                .satisfies(e -> assertThat(((PosixException) e).error()).isEqualTo(PosixError.ENAMETOOLONG));
        assertThat(root.attributes().links()).isEqualTo(3);
        d.remove("x", false);
        root.remove("d", true);
        assertThat(root.list()).isEmpty();
        assertThat(root.attributes().links()).isEqualTo(2);
    }

    @Test
    void renameOverAFile_replacesItAtomically_andHardLinksShareAnInode() throws IOException {
        ViewNode root = volume.root();
        write(root, "a", "old");
        write(root, "a.tmp", "new");
        root.rename("a.tmp", root, "a");
        assertThat(names(root)).containsExactly("a");
        assertThat(new String(read(root.child("a").orElseThrow()), StandardCharsets.UTF_8)).isEqualTo("new");
        root.link("b", root.child("a").orElseThrow());
        assertThat(root.child("b").orElseThrow().attributes().inode())
                .isEqualTo(root.child("a").orElseThrow().attributes().inode());
        assertThat(root.child("a").orElseThrow().attributes().links()).isEqualTo(2);
    }

    @Test
    void savingByWritingATemporaryFileAndRenamingIt_keepsOneHistoryForThePath() throws IOException {
        ViewNode root = volume.root();
        write(root, "report.odt", "draft 1");
        write(root, ".report.odt.tmp", "draft 2");
        root.rename(".report.odt.tmp", root, "report.odt");
        write(root, ".report.odt.tmp", "draft 3");
        root.rename(".report.odt.tmp", root, "report.odt");
        List<VersionRecord> history = volume.state().versions(bytes("report.odt"));
        assertThat(history).hasSize(3);
        assertThat(volume.state().versions(bytes(".report.odt.tmp"))).isEmpty();
        assertThat(names(volume.history(new ViewOwner(0, 0, dev.strata.core.tree.Timestamp.EPOCH))))
                .containsExactly("report.odt");
    }

    @Test
    void aRenamedFile_startsTheNewPathsHistoryWithItsContent_andTheOldPathKeepsItsOwn() throws IOException {
        ViewNode root = volume.root();
        write(root, "old.txt", "one");
        try (OpenFile f = root.child("old.txt").orElseThrow().openForWriting()) {
            f.write(3, bytes(" two"), 0, 4);
        }
        root.rename("old.txt", root, "new.txt");
        assertThat(volume.state().versions(bytes("old.txt"))).hasSize(2);
        assertThat(volume.state().versions(bytes("new.txt"))).hasSize(1);
    }

    @Test
    void anUnlinkedOpenFile_staysReadableUntilClosed() throws IOException {
        ViewNode root = volume.root();
        write(root, "gone", "still here");
        OpenFile f = root.child("gone").orElseThrow().open();
        root.remove("gone", false);
        byte[] buf = new byte[10];
        assertThat(f.read(0, 10, sink(buf))).isEqualTo(10);
        assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("still here");
        f.close();
        assertThat(root.list()).isEmpty();
    }

    @Test
    void everythingSurvivesAReopen() throws IOException {
        ViewNode root = volume.root();
        root.mkdir("sub", 0700, ME);
        write(root.child("sub").orElseThrow(), "f", "kept");
        root.symlink("l", bytes("sub/f"), ME);
        volume.close();
        volume = openVolume();
        ViewNode again = volume.root();
        assertThat(names(again)).containsExactly("l", "sub");
        assertThat(new String(read(again.child("sub").orElseThrow().child("f").orElseThrow()), StandardCharsets.UTF_8))
                .isEqualTo("kept");
        assertThat(again.child("l").orElseThrow().readLink()).isEqualTo(bytes("sub/f"));
    }

    private static void write(ViewNode folder, String name, String text) throws IOException {
        byte[] b = bytes(text);
        try (OpenFile f = folder.create(name, 0644, ME)) {
            f.write(0, b, 0, b.length);
        }
    }

    private static List<String> names(ViewNode folder) throws IOException {
        List<String> out = new ArrayList<>();
        for (DirEntry e : folder.list()) {
            out.add(e.name());
        }
        return out;
    }

    private static byte[] read(ViewNode file) throws IOException {
        long size = file.attributes().size();
        byte[] out = new byte[(int) size];
        try (OpenFile f = file.open()) {
            int at = 0;
            while (at < size) {
                int n = f.read(at, (int) Math.min(128 * 1024, size - at), sink(Arrays.copyOfRange(out, 0, 0), out, at));
                at += n;
            }
        }
        return out;
    }

    private static ReadSink sink(byte[] into) {
        return sink(null, into, 0);
    }

    private static ReadSink sink(byte[] unused, byte[] into, int base) {
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
