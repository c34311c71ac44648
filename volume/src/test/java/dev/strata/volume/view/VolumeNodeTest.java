package dev.strata.volume.view;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;
import dev.strata.core.view.ViewNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static dev.strata.volume.view.TestVolume.ME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeNodeTest {
    @TempDir
    Path dir;
    private TestVolume v;

    @BeforeEach
    void open() throws IOException {
        v = new TestVolume(dir);
    }

    @AfterEach
    void close() throws IOException {
        v.faults.heal();
        try {
            v.close();
        } catch (IOException storeFailedEarlier) {
            // A test that made the store fail leaves it failed: closing cannot make versions durable.
        }
    }

    /** An action of another program, on its own thread. */
    private interface Action {
        void run() throws Exception;
    }

    @Test
    void metadataChangedWhileTheCloseSealsAVersion_isKept() throws Exception {
        OpenFile f = v.root().create("a", 0644, ME);
        f.write(0, bytes("hello"), 0, 5);
        ViewNode a = v.child("a");
        Timestamp atime = new Timestamp(1000, 1);
        Timestamp mtime = new Timestamp(2000, 2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] other = new Thread[1];
        v.clock.atNextReading(() -> other[0] = startAndWait(() -> {
            a.setMode(0600);
            a.setXattr("user.x", bytes("1"));
            a.setTimes(atime, mtime);
        }, failure));
        f.close();
        other[0].join();
        assertThat(failure.get()).isNull();
        for (int round = 0; round < 2; round++) {
            ViewNode again = v.child("a");
            Attributes attrs = again.attributes();
            assertThat(attrs.mode()).isEqualTo(0600);
            assertThat(attrs.atime()).isEqualTo(atime);
            assertThat(attrs.mtime()).isEqualTo(mtime);
            assertThat(again.xattrs()).extracting(Xattr::name).containsExactly("user.x");
            assertThat(TestVolume.read(again)).isEqualTo(bytes("hello"));
            v.reopen();
        }
    }

    @Test
    void aFileRemovedWhileTheCloseSealsAVersion_goesWhenClosed() throws Exception {
        OpenFile f = v.root().create("a", 0644, ME);
        f.write(0, bytes("hello"), 0, 5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] other = new Thread[1];
        v.clock.atNextReading(() -> other[0] = startAndWait(() -> v.root().remove("a", false), failure));
        f.close();
        other[0].join();
        assertThat(failure.get()).isNull();
        assertThat(v.root().list()).isEmpty();
        assertThat(v.volume.state().fileCount()).as("inodes left: the root only").isEqualTo(1);
        v.reopen();
        assertThat(v.root().list()).isEmpty();
        assertThat(v.volume.state().fileCount()).isEqualTo(1);
    }

    @Test
    void anOpenWhileAnUnlinkAsksWhetherFilesAreOpen_doesNotDeadlock() throws Exception {
        TestVolume.write(v.root(), "gone", "x");
        TestVolume.write(v.root(), "kept", "y");
        long kept = ((VolumeNode) v.child("kept")).ino();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] other = new Thread[1];
        // The unlink's step asks which files are open; an open on another thread starts just before.
        v.clock.atNextReading(() -> other[0] = startAndWait(() -> v.volume.data().open(kept, false).close(), failure));
        Thread remover = new Thread(() -> {
            try {
                v.root().remove("gone", false);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        remover.start();
        remover.join(20_000);
        boolean stuck = remover.isAlive();
        if (stuck) {
            other[0].interrupt(); // breaks the deadlock, so that the volume can close
            remover.join();
        }
        other[0].join();
        assertThat(stuck).as("the unlink and the open wait for each other").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(v.root().child("gone")).isEmpty();
    }

    @Test
    void aLookupOfANameLongerThan255Bytes_isENAMETOOLONG_asOnLocalFilesystems() throws Exception {
        assertThatThrownBy(() -> v.root().child("n".repeat(256))).isInstanceOf(PosixException.class)
                .satisfies(e -> assertThat(((PosixException) e).error()).isEqualTo(PosixError.ENAMETOOLONG));
        assertThat(v.root().child("n".repeat(255))).isEmpty();
    }

    @Test
    void whatIsMadeInASetgidFolder_takesItsGroup_andFoldersKeepTheBit() throws Exception {
        ViewNode root = v.root();
        root.mkdir("shared", 02775, new dev.strata.core.view.Caller(0, 4242));
        ViewNode shared = v.child("shared");
        dev.strata.core.view.Caller nobody = new dev.strata.core.view.Caller(65534, 65534);
        shared.mkdir("sub", 0755, nobody);
        shared.create("f", 0644, nobody).close();
        shared.mknod("p", 0010644, 0, nobody);
        shared.symlink("l", bytes("f"), nobody);
        Attributes sub = shared.child("sub").orElseThrow().attributes();
        assertThat(sub.gid()).isEqualTo(4242);
        assertThat(sub.uid()).isEqualTo(65534);
        assertThat(sub.mode()).isEqualTo(02755);
        for (String name : new String[]{"f", "p", "l"}) {
            Attributes a = shared.child(name).orElseThrow().attributes();
            assertThat(a.gid()).as(name).isEqualTo(4242);
            assertThat(a.mode() & 02000).as(name).isZero();
        }
        root.mkdir("plain", 0755, nobody);
        assertThat(v.child("plain").attributes().gid()).isEqualTo(65534);
    }

    @Test
    void blocks_countDataNotHoles_in4KiBUnits_whetherOpenOrSealed() throws Exception {
        OpenFile f = v.root().create("sparse", 0644, ME);
        f.truncate(5L << 30);
        f.write(0, bytes("head"), 0, 4);
        f.write((5L << 30) - 4, bytes("tail"), 0, 4);
        ViewNode sparse = v.child("sparse");
        assertThat(sparse.attributes().blocks()).as("open, two written pages").isEqualTo(16);
        f.close();
        assertThat(sparse.attributes().size()).isEqualTo(5L << 30);
        assertThat(sparse.attributes().blocks()).as("sealed: its data chunks only").isLessThan(2L * (8 << 20) / 512);
        TestVolume.write(v.root(), "small", "0123456789");
        assertThat(v.child("small").attributes().blocks()).isEqualTo(8);
        v.root().create("empty", 0644, ME).close();
        assertThat(v.child("empty").attributes().blocks()).isZero();
        v.reopen();
        assertThat(v.child("sparse").attributes().blocks()).isLessThan(2L * (8 << 20) / 512);
        assertThat(v.root().list()).filteredOn(e -> e.name().equals("small")).singleElement()
                .satisfies(e -> assertThat(e.attributes().blocks()).isEqualTo(8));
    }

    @Test
    void aVersionThatCannotBeStoredAtClose_keepsTheChangesStaged_andTheFileCanStillGo() throws Exception {
        TestVolume.write(v.root(), "first", "stored");
        v.faults.failAlways(dev.strata.core.testing.FaultInjectingBackend.Operation.PUT_FILE);
        assertThatThrownBy(() -> v.volume.data().flush()).isInstanceOf(IOException.class);
        long overlaysBefore = overlays();
        OpenFile f = v.root().create("b", 0644, ME);
        f.write(0, bytes("unsaved but kept"), 0, 16);
        long ino = ((VolumeNode) v.child("b")).ino();
        assertThatThrownBy(f::close).hasMessageContaining("saving a version of inode " + ino)
                .hasMessageContaining("could not be stored");
        assertThat(v.volume.data().isOpen(ino)).as("still counted as open").isFalse();
        assertThat(v.volume.state().inode(ino).staging()).as("its changes, kept for the next seal").isNotNull();
        assertThat(TestVolume.read(v.child("b"))).isEqualTo(bytes("unsaved but kept"));
        v.root().remove("b", false);
        assertThat(v.volume.state().fileCount()).as("inodes: the root and first").isEqualTo(2);
        assertThat(overlays()).as("overlay files").isEqualTo(overlaysBefore);
    }

    /** Overlay files in the staging folder; emptied spares kept for reuse are not overlays. */
    private long overlays() throws IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir.resolve("state/staging"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("spare-")).count();
        }
    }

    /** Starts {@code action} on another thread and gives it half a second before going on. */
    private static Thread startAndWait(Action action, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "other program");
        t.start();
        try {
            t.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
