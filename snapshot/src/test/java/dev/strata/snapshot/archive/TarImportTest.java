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
