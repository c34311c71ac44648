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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A dumped folder, unpacked by GNU tar (or unzip), is the folder that was backed up. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotDumpTest {
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
    void tar_extractedByGnuTar_equalsSourceWithMetadata() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Map<String, String> expected = TreeDescription.of(src);
        Path archive = dump(src, ArchiveFormat.TAR, dir.resolve("out.tar"));

        Path out = Files.createDirectories(dir.resolve("x"));
        run("tar", "-x", "-f", archive.toString(), "-C", out.toString(), "--xattrs", "--xattrs-include=user.*",
                "--numeric-owner", "-p");

        assertThat(TreeDescription.of(out)).isEqualTo(expected);
    }

    @Test
    void tarZst_extractedByGnuTar_equalsSource() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Map<String, String> expected = TreeDescription.of(src);
        Path archive = dump(src, ArchiveFormat.TAR_ZST, dir.resolve("out.tar.zst"));

        Path out = Files.createDirectories(dir.resolve("x"));
        run("tar", "--zstd", "-x", "-f", archive.toString(), "-C", out.toString(), "--xattrs", "--xattrs-include=user.*",
                "--numeric-owner", "-p");

        assertThat(TreeDescription.of(out)).isEqualTo(expected);
    }

    /** GNU tar lists the entries with the PAX headers it would apply: nanosecond times and the xattr. */
    @Test
    void tar_holdsPaxTimesAndXattrs_andHardLinkAsLink() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Path archive = dump(src, ArchiveFormat.TAR, dir.resolve("out.tar"));

        String listing = run("tar", "-t", "-v", "--full-time", "--xattrs", "-f", archive.toString());

        assertThat(listing).contains("docs/a.txt").contains("other/b.txt link to docs/a.txt")
                .contains("docs/link -> a.txt").contains("pipe");
        String raw = Files.readString(archive, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("mtime=1700000000.123456789").contains("SCHILY.xattr.user.note=kept");
    }

    /** A file with holes is a PAX sparse entry: the archive holds its data only, and GNU tar makes it sparse again. */
    @Test
    void sparseFile_isWrittenWithoutItsHoles_andExtractsSparse() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path big = src.resolve("disk.img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.seek(32L << 20);
            f.write(dev.strata.core.testing.RandomData.bytes(3, 1 << 20));
            f.setLength(256L << 20);
        }
        Path archive = dump(src, ArchiveFormat.TAR, dir.resolve("out.tar"));

        Path out = Files.createDirectories(dir.resolve("x"));
        run("tar", "-x", "-f", archive.toString(), "-C", out.toString());

        assertThat(Files.size(archive)).isLessThan(2L << 20);
        assertThat(TreeDescription.of(out)).isEqualTo(TreeDescription.of(src));
        long allocated = dev.strata.core.posix.Posix.get().lstat(out.resolve("disk.img")).blocks() * 512;
        assertThat(allocated).isLessThan(8L << 20);
    }

    @Test
    void zip_unzipped_keepsFilesModesAndSymlinks() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        DumpResult[] result = new DumpResult[1];
        Path archive = dir.resolve("out.zip");
        try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = Files.newOutputStream(archive)) {
            result[0] = dump.folder(folder(src).subtree(), folder(src), ArchiveFormat.ZIP, o);
        }

        Path out = Files.createDirectories(dir.resolve("x"));
        run("python3", "-c", "import zipfile,sys,os\n"
                + "z=zipfile.ZipFile(sys.argv[1])\n"
                + "for i in z.infolist():\n"
                + "  p=os.path.join(sys.argv[2],i.filename); m=i.external_attr>>16\n"
                + "  if i.is_dir(): os.makedirs(p,exist_ok=True); os.chmod(p,m&0o7777); continue\n"
                + "  os.makedirs(os.path.dirname(p),exist_ok=True)\n"
                + "  if m&0o170000==0o120000: os.symlink(z.read(i).decode(),p); continue\n"
                + "  open(p,'wb').write(z.read(i)); os.chmod(p,m&0o7777)\n"
                + "  print(i.filename, oct(m))\n", archive.toString(), out.toString());

        assertThat(Files.readString(out.resolve("docs/a.txt"))).isEqualTo("hello, archive\n");
        assertThat(Files.readAllBytes(out.resolve("docs/bin.dat"))).isEqualTo(Files.readAllBytes(src.resolve("docs/bin.dat")));
        assertThat(Files.readAllBytes(out.resolve("other/b.txt"))).isEqualTo(Files.readAllBytes(src.resolve("docs/a.txt")));
        assertThat(Files.readAllBytes(out.resolve("sparse"))).isEqualTo(Files.readAllBytes(src.resolve("sparse")));
        assertThat(Files.readSymbolicLink(out.resolve("docs/link"))).isEqualTo(Path.of("a.txt"));
        assertThat(Files.getPosixFilePermissions(out.resolve("docs/a.txt"))).isEqualTo(Files.getPosixFilePermissions(src.resolve("docs/a.txt")));
        assertThat(result[0].warnings()).containsExactly("pipe: left out, the archive format cannot hold a fifo");
    }

    @Test
    void zip_ofManyFifos_countsEveryOneLeftOut_butListsTheFirstThousand() throws Exception {
        Path src = Files.createDirectories(dir.resolve("fifos"));
        int fifos = DumpResult.LISTED + 200;
        List<String> command = new ArrayList<>(List.of("mkfifo"));
        for (int i = 0; i < fifos; i++) {
            command.add(src.resolve("p" + i).toString());
        }
        run(command.toArray(String[]::new));
        Node self = folder(src);
        DumpResult r;
        try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = OutputStream.nullOutputStream()) {
            r = dump.folder(self.subtree(), self, ArchiveFormat.ZIP, o);
        }
        assertThat(r.leftOut()).isEqualTo(fifos);
        assertThat(r.warnings()).hasSize(DumpResult.LISTED).allMatch(w -> w.endsWith("cannot hold a fifo"));
    }

    @Test
    void singleFile_isOneEntryUnderItsName() throws Exception {
        Path src = SampleTree.create(dir.resolve("src"), false);
        Snapshot s = backup(src);
        Node file = TreePaths.find(trees, s.tree(), src.resolve("docs/bin.dat").toString()).orElseThrow();
        Path archive = dir.resolve("one.tar");
        try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = Files.newOutputStream(archive)) {
            dump.entry(file, ArchiveFormat.TAR, o);
        }

        assertThat(run("tar", "-t", "-f", archive.toString()).strip()).isEqualTo("bin.dat");
    }

    private Path dump(Path src, ArchiveFormat format, Path archive) throws IOException {
        Node self = folder(src);
        try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = Files.newOutputStream(archive)) {
            DumpResult r = dump.folder(self.subtree(), self, format, o);
            assertThat(r.warnings()).isEmpty();
        }
        return archive;
    }

    private Node folder(Path src) throws IOException {
        Snapshot s = backup(src);
        return TreePaths.find(trees, s.tree(), src.toString()).orElseThrow();
    }

    private Snapshot backup(Path src) throws IOException {
        return new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(),
                BackupProgress.NONE).snapshot();
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
