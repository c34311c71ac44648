package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A damaged pack gives EIO for the file whose chunks it holds, a log line naming it, and nothing else. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorruptPackIT {
    private Path dir;
    private MountProcess mount;

    @AfterEach
    void cleanUp() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void aDamagedChunkFailsOnlyItsFile() throws Exception {
        dir = Files.createTempDirectory("strata-corrupt-it");
        Path source = Files.createDirectories(dir.resolve("source"));
        Random random = new Random(7);
        byte[] healthy = new byte[4 << 20];
        random.nextBytes(healthy);
        Files.write(source.resolve("healthy.bin"), healthy);
        Files.writeString(source.resolve("small.txt"), "small and fine\n");
        Strata strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("backup", "--quiet", source.toString()).ok();
        List<Path> before = dataPacks(strata.repo);

        // A second backup whose only new data is this file: its chunks go to new packs.
        byte[] victim = new byte[4 << 20];
        random.nextBytes(victim);
        Files.write(source.resolve("victim.bin"), victim);
        strata.run("backup", "--quiet", source.toString()).ok();
        List<Path> added = dataPacks(strata.repo).stream().filter(p -> !before.contains(p)).toList();
        assertThat(added).isNotEmpty();
        // Tree packs are small; the victim's 4 MiB of random data is in the largest new pack.
        Path damaged = added.stream().max(Comparator.comparingLong(CorruptPackIT::size)).orElseThrow();
        flipByteInTheMiddle(damaged);

        mount = MountProcess.start(strata, dir.resolve("mnt"));
        Path latest = latestOf(mount.mountpoint);
        assertThatThrownBy(() -> Files.readAllBytes(latest.resolve("victim.bin")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Input/output error");
        assertThat(Files.readAllBytes(latest.resolve("healthy.bin"))).isEqualTo(healthy);
        assertThat(Files.readString(latest.resolve("small.txt"))).isEqualTo("small and fine\n");
        // Listing and stat still work for the damaged file; only its bytes fail.
        assertThat(Files.size(latest.resolve("victim.bin"))).isEqualTo(victim.length);
        String packName = damaged.getFileName().toString();
        assertThat(mount.log()).contains("victim.bin").contains(packName.substring(0, 8));
    }

    private static Path latestOf(Path mountpoint) throws IOException {
        try (Stream<Path> sources = Files.list(mountpoint.resolve("snapshots"))) {
            Path link = sources.findFirst().orElseThrow().resolve("latest");
            return link.resolveSibling(Files.readSymbolicLink(link));
        }
    }

    /** The repository's data packs, oldest first. */
    private static List<Path> dataPacks(Path repo) throws IOException {
        try (Stream<Path> walk = Files.walk(repo.resolve("data"))) {
            return walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(CorruptPackIT::modified)).toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void flipByteInTheMiddle(Path pack) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            long at = f.length() / 3;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }
}
