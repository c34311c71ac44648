package dev.strata.snapshot.archive;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump and an import of a file three times the size of the heap, in a JVM with a 64 MiB heap: both
 * stream, so neither runs out of memory.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ArchiveMemoryTest {
    private static final int FILE_MIB = 192;

    @TempDir
    Path dir;

    @Test
    void dumpAndImport_ofAFileLargerThanTheHeap_runInA64MiBHeap() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        try (OutputStream out = Files.newOutputStream(src.resolve("big.bin"))) {
            for (int i = 0; i < FILE_MIB; i++) {
                out.write(RandomData.bytes(i, 1 << 20));
            }
        }
        TestRepositories.Fixture fixture = TestRepositories.local(dir.resolve("r")).init();
        try (Repository repo = fixture.open(LockMode.WRITE)) {
            new Backup(repo, new LocalSourceFs()).run(BackupRequest.of(List.of(src)), new BackupCounters(), BackupProgress.NONE);
        }

        try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m", "-XX:+UseSerialGC"), Child.class, dir,
                dir.resolve("r").toString(), src.toString(), dir.resolve("out.tar").toString())) {
            assertThat(child.waitFor(Duration.ofSeconds(280))).as(child.stderr()).isZero();
            assertThat(child.allLines(Duration.ofSeconds(5))).contains("imported " + ((long) FILE_MIB << 20));
        }
        assertThat(Files.size(dir.resolve("out.tar"))).isGreaterThan((long) FILE_MIB << 20);
    }

    /** In the small JVM: dumps the folder to a tar file, then imports that file. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            TestRepositories.Fixture fixture = TestRepositories.local(Path.of(args[0]));
            try (Repository repo = fixture.open(LockMode.WRITE)) {
                TreeStore trees = new TreeStore(repo.store());
                Snapshot s = new Snapshots(repo).list().get(0);
                Node folder = TreePaths.find(trees, s.tree(), args[1]).orElseThrow();
                try (SnapshotDump dump = new SnapshotDump(trees); OutputStream o = Files.newOutputStream(Path.of(args[2]))) {
                    dump.folder(folder.subtree(), folder, ArchiveFormat.TAR, o);
                }
                try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
                    ImportResult r = new TarImport(repo).run(in, List.of(), null, null, n -> { });
                    System.out.println("imported " + r.snapshot().summary().totalBytes());
                }
            }
        }
    }
}
