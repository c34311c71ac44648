package dev.strata.snapshot.archive;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import dev.strata.snapshot.restore.RestoreRequest;
import dev.strata.snapshot.restore.RestoreResult;
import dev.strata.snapshot.restore.Restorer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.strata.snapshot.archive.SnapshotDumpTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** A tarball imported as a snapshot and restored is the tree it was made of, metadata included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TarImportTest {
    @TempDir
    Path dir;
    private Repository repo;
    private TreeStore trees;

    @BeforeEach
    void open() throws IOException {
        repo = TestRepositories.local(dir.resolve("r")).small().init().open(LockMode.WRITE);
        trees = new TreeStore(repo.store());
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void gnuTarPosix_importedAndRestored_equalsTheTree() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Path archive = dir.resolve("in.tar");
        run("tar", "-c", "--format=posix", "--xattrs", "--sparse", "-f", archive.toString(), "-C", src.toString(), ".");

        ImportResult r = importFile(archive);

        assertThat(r.warnings()).isEmpty();
        assertThat(restored(r.snapshot())).isEqualTo(withoutRoot(TreeDescription.of(src)));
    }

    @Test
    void gzippedGnuTar_isRecognised() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Path archive = dir.resolve("in.tar.gz");
        run("tar", "-c", "-z", "--format=gnu", "-f", archive.toString(), "-C", src.toString(), "docs", "other");

        ImportResult r = importFile(archive);

        assertThat(r.warnings()).isEmpty();
        Path t = restoredPath(r.snapshot());
        assertThat(Files.readString(t.resolve("other/b.txt"))).isEqualTo("hello, archive\n");
        assertThat(Files.readAllBytes(t.resolve("docs/bin.dat"))).isEqualTo(Files.readAllBytes(src.resolve("docs/bin.dat")));
    }

    /** Strata's own dump carries a binary xattr value (LIBARCHIVE.xattr) that the import takes back exactly. */
    @Test
    void dumpThenImport_keepsBinaryXattrs() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), true);
        Snapshot backup = new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(),
                BackupProgress.NONE).snapshot();
        Node folder = TreePaths.find(trees, backup.tree(), src.toString()).orElseThrow();
        Path archive = dir.resolve("dump.tar");
        try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = Files.newOutputStream(archive)) {
            dump.folder(folder.subtree(), folder, ArchiveFormat.TAR, o);
        }

        ImportResult r = importFile(archive);

        assertThat(restored(r.snapshot())).isEqualTo(withoutRoot(TreeDescription.of(src)))
                .containsEntry("docs/bin.dat", withoutRoot(TreeDescription.of(src)).get("docs/bin.dat"));
        assertThat(TreeDescription.of(src).get("docs/bin.dat")).contains("user.raw=ff00fe01");
    }

    @Test
    void sameTarTwice_addsNoData() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Path archive = dir.resolve("in.tar");
        run("tar", "-c", "--format=posix", "-f", archive.toString(), "-C", src.toString(), ".");

        ImportResult first = importFile(archive);
        ImportResult second = importFile(archive);

        assertThat(first.snapshot().summary().bytesAdded()).isGreaterThan(3 << 20);
        assertThat(second.snapshot().summary().bytesAdded()).isZero();
        assertThat(second.snapshot().tree()).isEqualTo(first.snapshot().tree());
    }

    @Test
    void escapingPaths_andDanglingHardLinks_areLeftOutAndListed() throws Exception {
        Path archive = dir.resolve("bad.tar");
        run("python3", "-c", "import tarfile,io,sys\n"
                + "t=tarfile.open(sys.argv[1],'w',format=tarfile.PAX_FORMAT)\n"
                + "def add(name,data=b'x',kind=tarfile.REGTYPE,link=''):\n"
                + "  i=tarfile.TarInfo(name); i.type=kind; i.linkname=link; i.size=len(data) if kind==tarfile.REGTYPE else 0\n"
                + "  t.addfile(i,io.BytesIO(data) if kind==tarfile.REGTYPE else None)\n"
                + "add('../evil')\nadd('ok/../../evil2')\nadd('good/file.txt',b'fine')\n"
                + "add('good/hard',kind=tarfile.LNKTYPE,link='missing')\nadd('/abs/path',b'abs')\nt.close()\n", archive.toString());

        ImportResult r = importFile(archive);

        assertThat(r.warnings()).containsExactly("../evil: left out, not a path inside the archive",
                "ok/../../evil2: left out, not a path inside the archive",
                "good/hard: left out, a hard link to missing, which is not a file before it in the archive");
        Path t = restoredPath(r.snapshot());
        assertThat(Files.readString(t.resolve("good/file.txt"))).isEqualTo("fine");
        assertThat(Files.readString(t.resolve("abs/path"))).isEqualTo("abs");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    /**
     * Entries in no order: folders interleaved, a folder's own entry last, a file that becomes a folder and
     * a folder that becomes a file, a path given twice, a hard link across folders, and folders wider
     * than what the import reads or writes at a time.
     */
    @Test
    void entriesOutOfOrder_areImportedAsTarWouldExtractThem() throws Exception {
        Path archive = dir.resolve("mixed.tar");
        run("python3", "-c", "import tarfile,io,sys\n"
                + "t=tarfile.open(sys.argv[1],'w',format=tarfile.PAX_FORMAT)\n"
                + "def add(name,data=b'',kind=tarfile.REGTYPE,link='',mode=0o644,mtime=1000):\n"
                + "  i=tarfile.TarInfo(name); i.type=kind; i.linkname=link; i.mode=mode; i.mtime=mtime\n"
                + "  i.size=len(data) if kind==tarfile.REGTYPE else 0\n"
                + "  t.addfile(i,io.BytesIO(data) if kind==tarfile.REGTYPE else None)\n"
                + "add('a/x',b'ax')\nadd('b/y',b'by')\nadd('a/y',b'ay')\n"
                + "add('c',b'was a file')\nadd('c/inner',b'now a folder')\n"
                + "add('d/sub/deep',b'gone')\nadd('d',b'now a file')\n"
                + "add('e/f',b'first')\nadd('e/f',b'second')\n"
                + "add('b/h',kind=tarfile.LNKTYPE,link='a/x')\n"
                + "add('n/'+'x'*600,b'long')\n"
                + "for k in range(5000):\n"
                + "  add('w/%04d' % (4999-k), b'w%d' % (4999-k))\n"
                + "  if k % 1000 == 0: add('v/%d' % k, b'v')\n"
                + "add('a',kind=tarfile.DIRTYPE,mode=0o700,mtime=1234567)\nt.close()\n", archive.toString());

        ImportResult r = importFile(archive);

        assertThat(r.warnings()).containsExactly("n/" + "x".repeat(600) + ": left out, a name longer than 500 bytes");
        Path t = restoredPath(r.snapshot());
        assertThat(Files.readString(t.resolve("a/x"))).isEqualTo("ax");
        assertThat(Files.readString(t.resolve("a/y"))).isEqualTo("ay");
        assertThat(Files.readString(t.resolve("b/y"))).isEqualTo("by");
        assertThat(Files.readString(t.resolve("c/inner"))).isEqualTo("now a folder");
        assertThat(Files.readString(t.resolve("d"))).isEqualTo("now a file");
        assertThat(Files.readString(t.resolve("e/f"))).isEqualTo("second");
        assertThat(Files.isSameFile(t.resolve("a/x"), t.resolve("b/h"))).isTrue();
        assertThat(Files.getAttribute(t.resolve("b/h"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.getLastModifiedTime(t.resolve("a")).toMillis()).isEqualTo(1234567_000L);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(t.resolve("a"))))
                .isEqualTo("rwx------");
        try (java.util.stream.Stream<Path> w = Files.list(t.resolve("w"))) {
            assertThat(w.count()).isEqualTo(5000);
        }
        assertThat(Files.readString(t.resolve("w/0000"))).isEqualTo("w0");
        assertThat(Files.readString(t.resolve("w/4999"))).isEqualTo("w4999");
        try (java.util.stream.Stream<Path> top = Files.list(t)) {
            assertThat(top.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("a", "b", "c", "d", "e", "v", "w");
        }
        assertThat(r.snapshot().summary().dirsNew()).isEqualTo(6);
    }

    @Test
    void manyEntriesLeftOut_areCounted_andTheFirstThousandListed() throws Exception {
        Path archive = dir.resolve("bad.tar");
        run("python3", "-c", "import tarfile,io,sys\n"
                + "t=tarfile.open(sys.argv[1],'w',format=tarfile.PAX_FORMAT)\n"
                + "for k in range(1005):\n"
                + "  i=tarfile.TarInfo('../evil%d' % k); i.size=1; t.addfile(i,io.BytesIO(b'x'))\n"
                + "i=tarfile.TarInfo('good'); i.size=2; t.addfile(i,io.BytesIO(b'ok'))\nt.close()\n", archive.toString());

        ImportResult r = importFile(archive);

        assertThat(r.leftOut()).isEqualTo(1005);
        assertThat(r.warnings()).hasSize(ImportResult.LISTED).startsWith("../evil0: left out, not a path inside the archive")
                .endsWith("../evil999: left out, not a path inside the archive");
        assertThat(r.snapshot().summary().warnings()).isEqualTo(1005);
        assertThat(Files.readString(restoredPath(r.snapshot()).resolve("good"))).isEqualTo("ok");
    }

    private ImportResult importFile(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return new TarImport(repo).run(in, List.of(), null, null, n -> { });
        }
    }

    private Map<String, String> restored(Snapshot s) throws IOException {
        return withoutRoot(TreeDescription.of(restoredPath(s)));
    }

    private int restores;

    private Path restoredPath(Snapshot s) throws IOException {
        Path target = dir.resolve("t" + restores++);
        RestoreResult r = new Restorer(trees).run(RestoreRequest.of(s.tree(), target), Restorer.Progress.NONE);
        assertThat(r.problems()).isEmpty();
        return target;
    }

    private static Map<String, String> withoutRoot(Map<String, String> d) {
        Map<String, String> copy = new java.util.TreeMap<>(d);
        copy.remove(".");
        return copy;
    }
}
