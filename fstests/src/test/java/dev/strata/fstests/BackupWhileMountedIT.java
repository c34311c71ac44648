package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person keeps the repository mounted and backs up into it from another terminal: the backup runs
 * alongside the mount, its snapshot appears in the mount and equals the source, a prune meanwhile
 * runs beside the mount (which only reads) and the mount reads on, and after unmounting the
 * repository checks clean and prunes.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackupWhileMountedIT {
    private Path dir;
    private Strata strata;
    private MountProcess mount;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-backup-mounted-it");
        strata = new Strata(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(FuseMount.isMounted(mount.mountpoint)).isFalse();
        }
        TempDirs.delete(dir);
    }

    @Test
    void backupIntoAMountedRepository_appearsInTheMount_pruneRunsBesideIt_thenUnmountCheckAndPrune() throws Exception {
        Path source = SourceTree.create(dir.resolve("source"));
        strata.run("init").ok();
        String summary = strata.run("backup", "--json", source.toString()).ok().out();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"snapshot\":\"([0-9a-f]+)\"").matcher(summary);
        assertThat(id.find()).as(summary).isTrue();
        String firstId = id.group(1);
        mount = MountProcess.start(strata, dir.resolve("mnt"));
        Path sourceFolder;
        try (Stream<Path> s = Files.list(mount.mountpoint.resolve("snapshots"))) {
            sourceFolder = s.findFirst().orElseThrow();
        }
        Path first = latest(sourceFolder);

        Files.writeString(source.resolve("docs/added-while-mounted.txt"), "new while mounted\n");
        Files.writeString(source.resolve("docs/readme.txt"), "changed while mounted\n", java.nio.file.StandardOpenOption.APPEND);
        try (StrataProcess backup = StrataProcess.start(strata, dir.resolve("backup.log"), "backup", source.toString())) {
            assertThat(backup.waitFor(Duration.ofMinutes(2))).as(backup.output()).isZero();
        }

        Path second = waitForNewLatest(sourceFolder, first, Duration.ofSeconds(20));
        assertThat(TreeCompare.differences(source, second)).as("the new snapshot, read through the mount").isEmpty();
        assertThat(Files.readString(first.resolve("docs/readme.txt"))).doesNotContain("changed while mounted");

        // Prune runs beside the mount: the first snapshot forgotten, its data goes, the mount reads on.
        strata.run("forget", firstId).ok();
        try (StrataProcess prune = StrataProcess.start(strata, dir.resolve("prune.log"), "prune")) {
            assertThat(prune.waitFor(Duration.ofMinutes(1))).as(prune.output()).isZero();
            assertThat(prune.output()).containsPattern("deleted [0-9]+ of [0-9]+ packs").doesNotContain("condemned");
        }
        assertThat(TreeCompare.differences(source, second)).as("the kept snapshot, read through the mount after prune").isEmpty();

        assertThat(mount.terminate()).as(mount.log()).isZero();
        assertThat(FuseMount.isMounted(mount.mountpoint)).isFalse();
        Strata.Result check = strata.run("check", "--read-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(strata.run("prune").code()).isZero();
    }

    /** The folder the source's {@code latest} link points to. */
    private static Path latest(Path sourceFolder) throws IOException {
        Path link = sourceFolder.resolve("latest");
        return sourceFolder.resolve(Files.readSymbolicLink(link));
    }

    private static Path waitForNewLatest(Path sourceFolder, Path old, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(sourceFolder)) {
                List<Path> entries = s.toList();
                Path now = latest(sourceFolder);
                if (entries.size() >= 3 && !now.equals(old)) {
                    return now;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new snapshot appeared in " + sourceFolder + " within " + timeout);
    }
}
