package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore onto a full disk stops early with one line that says so, leaves no half-written file,
 * and the same restore run again after space was freed completes it. The disk is a small tmpfs the
 * test mounts (root only) and always unmounts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestoreDiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void restoreOntoAFullDisk_stopsWithOneSummaryLine_andResumesOnceThereIsSpace() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Random random = new Random(7);
        for (int i = 0; i < 120; i++) {
            byte[] data = new byte[64 << 10];
            random.nextBytes(data);
            Files.write(src.resolve(String.format("file-%03d.bin", i)), data);
        }
        TreeComparison.Manifest source = TreeComparison.scan(src);
        CliRunner cli = E2e.smallRepository(tmp);
        ok(cli, "backup", src.toString());

        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "2m")) {
            Path target = disk.dir.resolve("restored");
            CliRunner.Result full = cli.run("restore", "latest", "--target", target.toString());

            assertThat(full.code()).as(full.toString()).isEqualTo(1);
            List<String> lines = full.err().lines().toList();
            assertThat(lines).as(full.toString()).hasSize(1);
            assertThat(lines.get(0)).contains("the disk is full", "run the same restore again to resume");
            Path restored = E2e.restoredAt(target, src);
            try (Stream<Path> files = Files.list(restored)) {
                for (Path f : files.toList()) {
                    assertThat(Files.size(f)).as("no half-written " + f).isEqualTo(64 << 10);
                }
            }

            disk.resize("64m");
            CliRunner.Result again = ok(cli, "restore", "latest", "--target", target.toString());
            assertThat(again.err()).isEmpty();
            assertThat(TreeComparison.compare(source, TreeComparison.scan(restored))).isEmpty();
        }
    }
}
